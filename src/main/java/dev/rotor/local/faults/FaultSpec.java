package dev.rotor.local.faults;

import io.grpc.Status;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a fault from configuration: {@code Method=CODE[*N|@FRACTION][/after]}. */
public final class FaultSpec {
    private static final Pattern SPEC = Pattern.compile("([A-Za-z*]+)=([A-Z_]+)(?:\\*(\\d+)|@(0?\\.\\d+|1(?:\\.0)?))?(/after)?");

    private FaultSpec() {
    }

    public static void apply(String spec, Faults faults) {
        Matcher m = SPEC.matcher(spec.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("rotor.emulator.faults: \"" + spec + "\" is not Method=CODE[*N|@FRACTION][/after]");
        }
        Status.Code code;
        try {
            code = Status.Code.valueOf(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rotor.emulator.faults: \"" + m.group(2) + "\" is not a gRPC status code");
        }
        Faults.When when = m.group(5) != null ? Faults.When.AFTER : Faults.When.BEFORE;
        if (m.group(4) != null) {
            faults.failFraction(m.group(1), code, Double.parseDouble(m.group(4)));
        } else {
            faults.fail(m.group(1), code, when, m.group(3) == null ? 1 : Integer.parseInt(m.group(3)));
        }
    }
}
