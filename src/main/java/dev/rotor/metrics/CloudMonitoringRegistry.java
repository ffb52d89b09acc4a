package dev.rotor.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.stackdriver.StackdriverConfig;
import io.micrometer.stackdriver.StackdriverMeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Micrometer's Stackdriver registry, publishable on demand. Cloud Run scales to zero and, by default, gives an
 * instance CPU only while it serves a request (https://cloud.google.com/run/docs/configuring/cpu-allocation), so
 * the registry's own timer may never fire between runs: each run ends with {@link #publishNow()}, before its
 * response is sent.
 *
 * <p>Micrometer (1.16, {@code StackdriverMeterRegistry.Batch.createTimeSeries}) writes each meter as the metric
 * type {@code custom.googleapis.com/} plus the name in slashes ({@code StackdriverNamingConvention}: slashes for
 * dots, snake case for tag keys), so {@code rotor.version.age} is {@code custom.googleapis.com/rotor/version/age};
 * gauges and counters as {@code GAUGE} kind (the default {@code useSemanticMetricTypes=false}); timers as a
 * distribution plus {@code /count} and {@code /max}. The resource is {@code generic_task} with a {@code task_id}
 * unique to this process (https://cloud.google.com/monitoring/api/resources#tag_generic_task): two instances
 * never write the same time series, and Cloud Monitoring refuses points written to one series more often than
 * every 5 seconds ("One or more points were written more frequently than the maximum sampling period configured
 * for the metric", https://cloud.google.com/monitoring/quotas). So publishes of this registry, the timer's and
 * the runs', are serialised and spaced by {@link #MIN_GAP}.
 */
final class CloudMonitoringRegistry extends StackdriverMeterRegistry {
    static final Duration MIN_GAP = Duration.ofSeconds(5);
    static final String RESOURCE_TYPE = "generic_task";
    private final ReentrantLock lock = new ReentrantLock();
    private long lastPublish;
    private boolean published;

    CloudMonitoringRegistry(StackdriverConfig config) {
        super(config, Clock.SYSTEM);
    }

    /** Publishes every meter now, waiting first until {@link #MIN_GAP} has passed since the last publish. */
    void publishNow() {
        publish();
    }

    @Override
    protected void publish() {
        ReentrantLock l = lock;
        if (l == null) {
            return; // the timer fired while the superclass constructor ran; the next tick publishes
        }
        l.lock();
        try {
            if (published) {
                long wait = MIN_GAP.toNanos() - (System.nanoTime() - lastPublish);
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            super.publish();
            lastPublish = System.nanoTime();
            published = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            l.unlock();
        }
    }

    /** The configuration: {@code generic_task} labelled so every process writes its own series. */
    static StackdriverConfig config(String project, Duration step, Map<String, String> resourceLabels) {
        return new StackdriverConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public String projectId() {
                return project;
            }

            @Override
            public String resourceType() {
                return RESOURCE_TYPE;
            }

            @Override
            public Map<String, String> resourceLabels() {
                return resourceLabels;
            }

            @Override
            public Duration step() {
                return step;
            }
        };
    }
}
