package dev.rotor.logging;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts Cloud Run's trace id ({@code X-Cloud-Trace-Context: TRACE/SPAN;o=1}) into the logging context of
 * the request, so every log line of a run joins its request in Cloud Logging. The MDC travels with the
 * request across threads through Micronaut's propagated context.
 */
@ServerFilter("/**")
public class TraceFilter {
    public static final String HEADER = "X-Cloud-Trace-Context";
    public static final String MDC_KEY = "trace";
    private static final Pattern TRACE = Pattern.compile("^([0-9a-fA-F]{1,32})(?:/.*)?$");

    private final String projectId;

    public TraceFilter(LoggingProperties properties) {
        this.projectId = properties.projectId();
    }

    @RequestFilter
    public void trace(HttpRequest<?> request, MutablePropagatedContext context) {
        String header = request.getHeaders().get(HEADER);
        if (header == null) {
            return;
        }
        Matcher m = TRACE.matcher(header.trim());
        if (m.matches()) {
            String id = m.group(1);
            String trace = projectId == null || projectId.isBlank() ? id : "projects/" + projectId + "/traces/" + id;
            context.add(new MdcPropagationContext(Map.of(MDC_KEY, trace)));
        }
    }
}
