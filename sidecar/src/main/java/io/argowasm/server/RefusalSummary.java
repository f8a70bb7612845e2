package io.argowasm.server;

import io.argowasm.metrics.PluginMetrics;
import io.argowasm.metrics.PluginMetrics.RequestResult;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One log line per period for the requests the sidecar turned away, instead of one per request: a
 * client hammering with a wrong token or a flood of bad bodies must not flood the log. The counts
 * come from the metrics, which keep every refusal.
 */
final class RefusalSummary implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(RefusalSummary.class);
    private static final List<RequestResult> REFUSALS =
            List.of(
                    RequestResult.FORBIDDEN,
                    RequestResult.BAD_REQUEST,
                    RequestResult.BUSY,
                    RequestResult.SHUTTING_DOWN);

    private final PluginMetrics metrics;
    private final String period;
    private final Map<RequestResult, Long> reported = new EnumMap<>(RequestResult.class);

    RefusalSummary(PluginMetrics metrics, String period) {
        this.metrics = metrics;
        this.period = period;
        REFUSALS.forEach(r -> reported.put(r, 0L));
    }

    /** Logs the refusals since the last call, if there were any. */
    @Override
    public synchronized void run() {
        LoggingEventBuilder line = log.atWarn();
        long total = 0;
        for (RequestResult result : REFUSALS) {
            long now = metrics.requests(result);
            long since = now - reported.put(result, now);
            total += since;
            line = line.addKeyValue(fieldName(result), since);
        }
        if (total > 0) {
            line.addKeyValue("period", period).log("requests refused");
        }
    }

    private static String fieldName(RequestResult result) {
        return switch (result) {
            case FORBIDDEN -> "forbidden";
            case BAD_REQUEST -> "badRequest";
            case BUSY -> "busy";
            case SHUTTING_DOWN -> "shuttingDown";
            default -> throw new IllegalArgumentException(result.name());
        };
    }
}
