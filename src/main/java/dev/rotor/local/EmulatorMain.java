package dev.rotor.local;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * The emulator on its own: {@code java -cp rotor.jar dev.rotor.local.EmulatorMain --port 8085 [--http-port 8086]}
 * serves Secret Manager, KMS, IAM Admin, IAM Credentials and Cloud Run Admin over plaintext gRPC on loopback
 * {@code --port}, Secret Manager's REST surface and the OIDC issuer on loopback {@code --http-port} (0 or absent:
 * a free port), seeded with the demo project as local mode is ({@link DemoSeed}). Its state lives as long as the
 * process, so Rotor processes can come and go against it. It prints one line with its addresses
 * ({@code rotor-emulator grpc=... http=... token-uri=... project=... project-number=...}) and runs until
 * stopped. Rotor in cloud mode uses it with {@code rotor.gcp.<service>.endpoint} and {@code .plaintext=true}.
 */
public final class EmulatorMain {
    private EmulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int grpcPort = -1;
        int httpPort = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> grpcPort = port(args, ++i);
                case "--http-port" -> httpPort = port(args, ++i);
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (grpcPort < 0) {
            usage("--port is required");
        }
        Emulator emulator = Emulator.standalone(Clock.systemUTC(), grpcPort, httpPort);
        DemoSeed.seed(emulator);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }));
        // A command-line tool's contract, not a log line: one machine-readable line on stdout that scripts and
        // KillConvergenceTest read for the addresses (as Google's own emulators print theirs); usage goes to stderr.
        System.out.println("rotor-emulator grpc=" + emulator.loopbackAddress().orElseThrow()
                + " http=" + emulator.httpUrl().orElseThrow() + " token-uri=" + emulator.tokenUri()
                + " project=" + DemoSeed.PROJECT + " project-number=" + emulator.projects().number(DemoSeed.PROJECT));
        System.out.flush();
        stopped.await();
    }

    private static int port(String[] args, int i) {
        if (i >= args.length || !args[i].matches("\\d{1,5}") || Integer.parseInt(args[i]) > 65535) {
            usage("a port is a number from 0 to 65535");
        }
        return Integer.parseInt(args[i]);
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: java -cp rotor.jar dev.rotor.local.EmulatorMain --port N [--http-port M]");
        System.exit(2);
    }
}
