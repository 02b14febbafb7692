# Exports the benchmark series from R's datasets and forecast packages to
# one CSV per series (columns date,value) and writes the manifest series.csv.
# Run from this folder:  Rscript export.R
suppressPackageStartupMessages(library(forecast))

num <- function(x) sprintf("%.15g", x)

write_lf <- function(lines, file) {
  con <- file(file, open = "wb")          # binary mode: LF line endings everywhere
  writeLines(lines, con, sep = "\n")
  close(con)
}

# Calendar dates for a ts with frequency 12, 4 or 1 and a real year start:
# first day of the month / of the first month of the quarter / of the year.
calendar_dates <- function(x) {
  f <- frequency(x); s <- start(x)
  k <- (s[2] - 1) + seq_along(x) - 1
  year <- s[1] + k %/% f
  month <- (k %% f) * (12 / f) + 1
  sprintf("%04d-%02d-01", as.integer(year), as.integer(month))
}

get_series <- function(name, pkg) get(name, envir = asNamespace(pkg))

# name, package, date kind, horizon, origins, spacing, frequency, seasonal period
spec <- read.csv(text = "
name,package,dates,horizon,origins,spacing,frequency,seasonal_period
AirPassengers,datasets,calendar,18,5,18,12,12
nottem,datasets,calendar,18,5,18,12,12
UKDriverDeaths,datasets,calendar,18,5,18,12,12
USAccDeaths,datasets,calendar,12,5,3,12,12
gas,forecast,calendar,18,5,18,12,12
wineind,forecast,calendar,18,5,18,12,12
UKgas,datasets,calendar,8,5,8,4,4
JohnsonJohnson,datasets,calendar,8,5,8,4,4
austres,datasets,calendar,8,5,8,4,4
woolyrnq,forecast,calendar,8,5,8,4,4
lynx,datasets,calendar,6,5,6,1,1
LakeHuron,datasets,calendar,6,5,6,1,1
WWWusage,datasets,index,10,5,10,1,1
BJsales,datasets,index,10,5,10,1,1
taylor,forecast,halfhour,48,5,48,48,48
", stringsAsFactors = FALSE)

manifest <- character(0)
for (i in seq_len(nrow(spec))) {
  r <- spec[i, ]
  x <- get_series(r$name, r$package)
  v <- as.numeric(x)
  stopifnot(!anyNA(v))
  d <- switch(r$dates,
    calendar = { stopifnot(frequency(x) == r$frequency); calendar_dates(x) },
    # No calendar in R (frequency 1, start 1): the date column holds R's time index 1..n.
    index = { stopifnot(frequency(x) == 1, start(x)[1] == 1); as.character(seq_along(v)) },
    # R's msts has periods 48 and 336 and no calendar; the package documents
    # Monday 5 June 2000 to Sunday 27 August 2000, half-hourly (UK local clock time).
    halfhour = {
      t0 <- as.POSIXct("2000-06-05 00:00:00", tz = "UTC")
      format(t0 + 1800 * (seq_along(v) - 1), "%Y-%m-%dT%H:%M:%S", tz = "UTC")
    })
  file <- paste0(r$name, ".csv")
  write_lf(c("date,value", paste(d, num(v), sep = ",")), file)

  n <- length(v); H <- r$horizon; O <- r$origins; S <- r$spacing; m <- r$seasonal_period
  first_train <- n - H - (O - 1) * S
  need <- max(2 * H + 16, if (m > 1) 3 * m + H else 0)
  if (first_train < need) stop(sprintf("%s: earliest origin has %d training values, needs %d", r$name, first_train, need))
  cat(sprintf("%-15s n=%4d f=%3d m=%3d H=%2d O=%d spacing=%2d first training length=%4d (min %d)\n",
              r$name, n, r$frequency, m, H, O, S, first_train, need))
  manifest <- c(manifest, paste(r$name, file, r$frequency, m, H, O, S, sep = ","))
}
write_lf(c("name,file,frequency,seasonal_period,horizon,origins,spacing", manifest), "series.csv")
