# R forecast-package baselines for the rolling-origin benchmark described in
# series.csv. Run from this folder:  Rscript baselines.R
# Writes baselines.csv (every forecast) and baselines-summary.csv (accuracy).
suppressPackageStartupMessages(library(forecast))

levels <- c(80, 95)
methods <- c("snaive", "ets", "auto.arima", "thetaf")
num <- function(x) ifelse(is.na(x), "NA", sprintf("%.15g", x))

write_lf <- function(lines, file) {
  con <- file(file, open = "wb")          # LF line endings on every platform
  writeLines(lines, con, sep = "\n")
  close(con)
}

fit_forecast <- function(method, train, H, series) {
  switch(method,
    snaive = snaive(train, h = H, level = levels),
    ets = forecast(ets(train), h = H, level = levels),
    # For taylor the search is fixed to stepwise with the CSS approximation
    # (auto.arima's own defaults for a series this long) to bound the run time.
    auto.arima = if (series == "taylor")
      forecast(auto.arima(train, stepwise = TRUE, approximation = TRUE), h = H, level = levels)
    else
      forecast(auto.arima(train), h = H, level = levels),
    thetaf = thetaf(train, h = H, level = levels))
}

manifest <- read.csv("series.csv", stringsAsFactors = FALSE)
rows <- character(0)
summary_rows <- list()
notes <- list()

for (i in seq_len(nrow(manifest))) {
  s <- manifest[i, ]
  y <- read.csv(s$file, stringsAsFactors = FALSE)$value
  n <- length(y); H <- s$horizon; O <- s$origins; m <- s$seasonal_period
  per_method <- lapply(methods, function(.) data.frame())
  names(per_method) <- methods
  for (k in 0:(O - 1)) {
    origin <- n - H - (O - 1 - k) * s$spacing          # 0-based index of the first forecast value
    train <- ts(y[seq_len(origin)], frequency = s$frequency)
    actual <- y[origin + seq_len(H)]
    lag <- if (m > 1) m else 1
    scale <- mean(abs(diff(as.numeric(train), lag = lag)))  # in-sample seasonal naive MAE
    for (method in methods) {
      key <- paste(s$name, method, sep = "|")
      t0 <- proc.time()[["elapsed"]]
      fc <- withCallingHandlers(
        tryCatch(fit_forecast(method, train, H, s$name),
                 error = function(e) { notes[[key]] <<- unique(c(notes[[key]], paste("error:", conditionMessage(e)))); NULL }),
        warning = function(w) { notes[[key]] <<- unique(c(notes[[key]], paste("warning:", conditionMessage(w)))); invokeRestart("muffleWarning") })
      if (is.null(fc)) {
        mean_ <- lo80 <- hi80 <- lo95 <- hi95 <- rep(NA_real_, H)
      } else {
        mean_ <- as.numeric(fc$mean)
        lo80 <- as.numeric(fc$lower[, 1]); hi80 <- as.numeric(fc$upper[, 1])
        lo95 <- as.numeric(fc$lower[, 2]); hi95 <- as.numeric(fc$upper[, 2])
      }
      rows <- c(rows, paste(s$name, method, origin, seq_len(H), num(mean_), num(lo80), num(hi80), num(lo95), num(hi95), sep = ","))
      err <- abs(actual - mean_)
      denom <- abs(actual) + abs(mean_)
      per_method[[method]] <- rbind(per_method[[method]], data.frame(
        origin = origin,
        mase = mean(err) / scale,
        smape = mean(ifelse(denom == 0, 0, 200 * err / denom)),
        in80 = sum(actual >= lo80 & actual <= hi80), in95 = sum(actual >= lo95 & actual <= hi95),
        ok = !is.null(fc)))
      cat(sprintf("%-15s origin %4d %-10s %6.1f s\n", s$name, origin, method, proc.time()[["elapsed"]] - t0))
    }
  }
  for (method in methods) {
    d <- per_method[[method]]
    ok <- d[d$ok, ]
    summary_rows[[length(summary_rows) + 1]] <- data.frame(
      series = s$name, method = method, origins = nrow(d), failed = sum(!d$ok),
      mase = if (nrow(ok)) mean(ok$mase) else NA_real_,
      smape = if (nrow(ok)) mean(ok$smape) else NA_real_,
      coverage80 = if (nrow(ok)) sum(ok$in80) / (nrow(ok) * H) else NA_real_,
      coverage95 = if (nrow(ok)) sum(ok$in95) / (nrow(ok) * H) else NA_real_,
      notes = paste(notes[[paste(s$name, method, sep = "|")]], collapse = "; "),
      stringsAsFactors = FALSE)
  }
}

write_lf(c("series,method,origin,h,mean,lo80,hi80,lo95,hi95", rows), "baselines.csv")

summ <- do.call(rbind, summary_rows)
geo <- do.call(rbind, lapply(methods, function(method) {
  d <- summ[summ$method == method & !is.na(summ$mase), ]
  data.frame(series = "GEOMEAN", method = method, origins = sum(d$origins), failed = sum(summ$failed[summ$method == method]),
             mase = exp(mean(log(d$mase))), smape = NA_real_, coverage80 = NA_real_, coverage95 = NA_real_,
             notes = sprintf("geometric mean of the per-series MASE over %d series", nrow(d)), stringsAsFactors = FALSE)
}))
summ <- rbind(summ, geo)

quote_csv <- function(x) ifelse(x == "", "", paste0("\"", gsub("\"", "\"\"", x), "\""))
write_lf(c("series,method,origins,failed,mase,smape,coverage80,coverage95,notes",
           paste(summ$series, summ$method, summ$origins, summ$failed, num(summ$mase), num(summ$smape),
                 num(summ$coverage80), num(summ$coverage95), quote_csv(summ$notes), sep = ",")),
         "baselines-summary.csv")

show <- summ
for (col in c("mase", "smape", "coverage80", "coverage95")) show[[col]] <- round(show[[col]], 3)
show$notes <- NULL
print(show, row.names = FALSE)
cat("\nGeometric mean MASE over series:\n")
print(setNames(round(geo$mase, 4), geo$method))
if (sum(summ$failed[summ$series != "GEOMEAN"]) > 0) {
  cat("\nFailed fits (recorded as NA):\n")
  print(summ[summ$failed > 0 & summ$series != "GEOMEAN", c("series", "method", "failed", "notes")], row.names = FALSE)
}
cat("\nWarnings and errors:\n")
for (key in names(notes)) cat(key, ":", paste(notes[[key]], collapse = "; "), "\n")
cat("\n"); print(sessionInfo())
