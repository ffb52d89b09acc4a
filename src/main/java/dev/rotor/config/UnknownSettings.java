package dev.rotor.config;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.ConfigurationReader;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.core.annotation.AnnotationValue;
import io.micronaut.core.naming.NameUtils;
import io.micronaut.core.type.Argument;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.BeanDefinitionReference;
import org.apache.commons.text.similarity.LevenshteinDistance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Refuses to start when a configured key under {@code rotor.} is not one Rotor reads, so a typo
 * ({@code rotor.leese}, {@code ROTOR_AUTH_AUDIENCE_LIST}) cannot silently leave a default in force. The known
 * keys come from the code, never from a list kept by hand: every {@code @ConfigurationProperties} /
 * {@code @EachProperty} bean of Rotor (its prefix and constructor parameters, hyphenated as Micronaut binds
 * them; a {@code Map} parameter or an {@code @EachProperty} name allows any key below it), every
 * {@code @Property(name = "rotor...")} injection point, {@code @Requires(property = "rotor...")} and
 * {@code ${rotor...}} placeholder in Rotor's annotations. List values may be given by index ({@code faults[0]}).
 * <p>
 * Environment variables are matched in Micronaut's own convention: {@code ROTOR_AUTH_AUDIENCES} is a
 * legitimate spelling of {@code rotor.auth.audiences} because upper-casing a known key and replacing its
 * {@code .} and {@code -} with {@code _} gives it; a {@code ROTOR_} variable that no known key spells is refused.
 * The launcher's own variable ({@code ROTOR_JDK_SEARCH}, read by {@code ./rotor}, not by Rotor) is allowed.
 */
@Context
public final class UnknownSettings {
    static final String ROOT = "rotor";
    private static final String LAUNCHER_VARIABLE = "ROTOR_JDK_SEARCH";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(rotor\\.[a-z0-9.-]+)");
    private static final Pattern INDEX = Pattern.compile("\\[\\d+]");

    public UnknownSettings(ApplicationContext context) {
        TreeSet<String> known = knownKeys(context);
        List<String> unknown = context.getEnvironment().getPropertySources().stream()
                .flatMap(source -> unknown(known, source).stream()).toList();
        if (!unknown.isEmpty()) {
            throw new ConfigurationException("Unknown setting" + (unknown.size() > 1 ? "s " : " ")
                    + String.join("; ", unknown) + " (Rotor reads only the settings in the README's table)");
        }
    }

    /** The keys of {@code source} under {@code rotor.} that match no known key, each with its nearest known key. */
    static List<String> unknown(TreeSet<String> known, PropertySource source) {
        boolean isEnv = source.getConvention() == PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE;
        List<Pattern> patterns = known.stream().map(k -> pattern(isEnv ? envForm(k) : k, isEnv ? "_" : ".")).toList();
        List<String> unknown = new ArrayList<>();
        for (String key : source) {
            String name = isEnv ? key : INDEX.matcher(key).replaceAll("");
            boolean ours = isEnv ? name.startsWith(envForm(ROOT) + "_") && !name.equals(LAUNCHER_VARIABLE)
                    : name.startsWith(ROOT + ".");
            if (ours && patterns.stream().noneMatch(p -> p.matcher(name).matches())) {
                unknown.add(describe(key, source.getName(), isEnv, known));
            }
        }
        return unknown;
    }

    /** {@code *} is one name (any text in an environment variable); a trailing {@code *} is anything below. */
    private static Pattern pattern(String key, String separator) {
        boolean open = key.endsWith(separator + "*");
        String base = open ? key.substring(0, key.length() - 2) : key;
        String one = separator.equals(".") ? "[^.]+" : ".+";
        return Pattern.compile(Pattern.quote(base).replace("*", "\\E" + one + "\\Q")
                + (open ? Pattern.quote(separator) + ".+" : ""));
    }

    /** Every {@code rotor.*} key Rotor reads; {@code *} stands for one name, a trailing {@code .*} for anything. */
    static TreeSet<String> knownKeys(ApplicationContext context) {
        TreeSet<String> keys = new TreeSet<>();
        // references, not getAllBeanDefinitions(): a bean whose @Requires fails (the emulator off) still reads its keys
        for (BeanDefinitionReference<?> reference : context.getBeanDefinitionReferences()) {
            if (!reference.getName().startsWith("dev.rotor.") || !reference.isPresent()) {
                continue;
            }
            BeanDefinition<?> d = reference.load(context);
            d.stringValue(ConfigurationReader.class, "prefix").ifPresent(prefix -> {
                for (Argument<?> a : d.getConstructor().getArguments()) {
                    if (!a.isAnnotationPresent(Parameter.class)) {
                        keys.add(prefix + "." + NameUtils.hyphenate(a.getName())
                                + (Map.class.isAssignableFrom(a.getType()) ? ".*" : ""));
                    }
                }
            });
            Stream.concat(Stream.of(d.getConstructor().getArguments()),
                            d.getInjectedMethods().stream().flatMap(m -> Stream.of(m.getArguments())))
                    .map(Argument::getAnnotationMetadata)
                    .forEach(m -> m.stringValue(Property.class, "name").ifPresent(keys::add));
            d.getInjectedFields().forEach(f -> f.getAnnotationMetadata().stringValue(Property.class, "name")
                    .ifPresent(keys::add));
            d.getAnnotationValuesByType(Requires.class).forEach(r -> r.stringValue("property").ifPresent(keys::add));
            placeholders(d.getAnnotationMetadata(), keys);
            d.getExecutableMethods().forEach(m -> placeholders(m.getAnnotationMetadata(), keys));
        }
        keys.removeIf(k -> !k.startsWith(ROOT + "."));
        return keys;
    }

    private static void placeholders(AnnotationMetadata metadata, TreeSet<String> keys) {
        metadata.getAnnotationNames().forEach(a -> placeholders(metadata.getValues(a).values(), keys));
    }

    /** Repeatable annotations ({@code @Scheduled}) nest their values as annotation values. */
    private static void placeholders(Object value, TreeSet<String> keys) {
        switch (value) {
            case AnnotationValue<?> nested -> placeholders(nested.getValues().values(), keys);
            case Object[] array -> placeholders(List.of(array), keys);
            case Iterable<?> values -> values.forEach(v -> placeholders(v, keys));
            default -> PLACEHOLDER.matcher(String.valueOf(value)).results().forEach(m -> keys.add(m.group(1)));
        }
    }

    private static String describe(String key, String source, boolean isEnv, TreeSet<String> known) {
        LevenshteinDistance distance = new LevenshteinDistance(Math.max(2, key.length() / 6));
        String near = known.stream()
                .map(k -> isEnv ? envForm(k) : k)
                .filter(k -> distance.apply(k, key) >= 0)
                .min(Comparator.comparingInt(k -> distance.apply(k, key)))
                .orElse(null);
        return key + " (from " + source + ")" + (near == null ? "" : ", did you mean " + near + "?");
    }

    private static String envForm(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
