package dev.rotor.api;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpMethod;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The served OpenAPI document names every route the service has, so it cannot silently fall behind. */
class OpenApiTest {
    @Test
    void documentsEveryRoute() {
        try (Api api = new Api()) {
            HttpResponse<String> doc = api.call("GET", "/openapi.yaml", null, Map.of());
            assertEquals(200, doc.statusCode());
            ApplicationContext ctx = api.env.context;
            List<String> routes = ctx.getBean(Router.class).uriRoutes()
                    .map(r -> ((UriRouteInfo<?, ?>) r).getUriMatchTemplate().toString())
                    .filter(t -> t.startsWith("/v1") || t.startsWith("/health") || t.equals("/")).distinct().toList();
            assertTrue(routes.size() >= 7, routes.toString());
            for (String route : routes) {
                assertTrue(doc.body().contains("  " + route + ":"), "not in openapi.yaml: " + route);
            }
            assertTrue(ctx.getBean(Router.class).uriRoutes().anyMatch(r -> r.getHttpMethod() == HttpMethod.POST));
        }
    }
}
