package dev.rotor.rotation;

import dev.rotor.secret.SecretRef;

import java.util.function.BiConsumer;

/** Simulates a process that dies just before a chosen step: nothing after it runs, no cleanup either. */
final class CrashHook implements StepHook {
    /** Not an exception the engine catches: like a dead process, it unwinds everything. */
    static final class Crash extends Error {
        Crash(Step step) {
            super("simulated crash before " + step);
        }
    }

    private volatile Step crashAt;
    private volatile Step actAt;
    private volatile Runnable action;
    private final java.util.concurrent.atomic.AtomicInteger actions = new java.util.concurrent.atomic.AtomicInteger();

    /** Runs {@code what} before every {@code step} from now on, up to {@code times} times: an external writer. */
    void at(Step step, int times, Runnable what) {
        actions.set(times);
        this.action = what;
        this.actAt = step;
    }

    private volatile BiConsumer<Step, SecretRef> also = (step, ref) -> { };

    /** Runs {@code action} before every step, before any crash (an external writer, for instance). */
    void also(BiConsumer<Step, SecretRef> action) {
        this.also = action;
    }

    void crashAt(Step step) {
        this.crashAt = step;
    }

    @Override
    public void before(Step step, SecretRef ref) {
        if (step == actAt && actions.getAndDecrement() > 0) {
            action.run();
        }
        also.accept(step, ref);
        if (step == crashAt) {
            throw new Crash(step);
        }
    }
}
