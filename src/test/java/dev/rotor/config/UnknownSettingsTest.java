package dev.rotor.config;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.yaml.YamlPropertySourceLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A key under rotor. that Rotor does not read stops startup, naming it and the key it probably meant. */
class UnknownSettingsTest {
    private static final Pattern TABLE_KEY = Pattern.compile("`(rotor\\.[a-z0-9.<>-]+)`((?:, `\\.[a-z0-9-]+`)*)");

    @Test
    void aTypoInAPropertyIsRefusedNamingItAndTheNearestKnownKey() {
        Exception e = assertThrows(Exception.class, () -> start(Map.of("rotor.leese", "PT5M")));
        String message = rootMessage(e);
        assertTrue(message.contains("rotor.leese") && message.contains("did you mean rotor.lease?"), message);
    }

    @Test
    void anEnvironmentVariableNoKnownKeySpellsIsRefused() {
        Exception e = assertThrows(Exception.class, () -> start(Map.of(), Map.of("ROTOR_AUTH_AUDIENCE_LIST", "x")));
        String message = rootMessage(e);
        assertTrue(message.contains("ROTOR_AUTH_AUDIENCE_LIST") && message.contains("did you mean ROTOR_AUTH_AUDIENCES?"),
                message);
    }

    @Test
    void environmentVariablesThatSpellKnownKeysStart() {
        Map<String, Object> env = Map.of("ROTOR_AUTH_AUDIENCES", "https://rotor.test",
                "ROTOR_LISTING_CACHE_TTL", "1s", "ROTOR_GCP_KMS_TIMEOUT", "5s",
                "ROTOR_EMULATOR_FRONT_END_ENABLED", "true", "ROTOR_JDK_SEARCH", "/opt", "ROTORS", "not ours");
        try (ApplicationContext ctx = start(Map.of(), env)) {
            assertEquals("1s", ctx.getRequiredProperty("rotor.listing-cache-ttl", String.class));
        }
    }

    @Test
    void listIndexesAndServiceNamesAreAllowed() {
        try (ApplicationContext ctx = start(Map.of("rotor.emulator.faults[0]", "GetSecret=UNAVAILABLE",
                "rotor.gcp.kms.max-attempts", "3", "rotor.local.run-every", "1h"))) {
            assertNotNull(ctx.getBean(UnknownSettings.class));
        }
    }

    @Test
    void everyKeyInTheReadmeTableAndTheApplicationFilesIsKnown() throws IOException {
        Map<String, Object> readme = new LinkedHashMap<>();
        readmeTableKeys().forEach(k -> readme.put(k.replace("<service>", "secret-manager"), "x"));
        assertTrue(readme.size() > 30, "README table parsed: " + readme.keySet());
        try (ApplicationContext ctx = start(Map.of())) {
            TreeSet<String> known = UnknownSettings.knownKeys(ctx);
            assertEquals(List.of(), UnknownSettings.unknown(known, PropertySource.of("README", readme)));
            for (String file : List.of("src/main/resources/application.yml", "src/main/resources/application-local.yml",
                    "src/test/resources/application-test.yml")) {
                Map<String, Object> keys = new YamlPropertySourceLoader().read(file, Files.readAllBytes(Path.of(file)));
                assertTrue(keys.keySet().stream().anyMatch(k -> k.startsWith("rotor.")), file + ": " + keys.keySet());
                assertEquals(List.of(), UnknownSettings.unknown(known, PropertySource.of(file, keys)), file);
            }
        }
    }

    private static Set<String> readmeTableKeys() throws IOException {
        Set<String> keys = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (!line.startsWith("| `rotor.")) {
                continue;
            }
            String first = line.split("\\|")[1];
            Matcher m = TABLE_KEY.matcher(first);
            while (m.find()) {
                String key = m.group(1);
                keys.add(key);
                String parent = key.substring(0, key.lastIndexOf('.'));
                for (String tail : m.group(2).split(", `")) {
                    if (tail.startsWith(".")) {
                        keys.add(parent + tail.substring(0, tail.length() - 1));
                    }
                }
            }
        }
        return keys;
    }

    private static ApplicationContext start(Map<String, Object> properties) {
        return start(properties, Map.of());
    }

    private static ApplicationContext start(Map<String, Object> properties, Map<String, Object> env) {
        return ApplicationContext.builder("test")
                .properties(Map.of("rotor.credentials", "application-default"))
                .propertySources(PropertySource.of("test-map", properties),
                        PropertySource.of("test-env", env, PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .start();
    }

    private static String rootMessage(Throwable e) {
        String message = "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            message += t.getMessage() + " | ";
        }
        return message;
    }
}
