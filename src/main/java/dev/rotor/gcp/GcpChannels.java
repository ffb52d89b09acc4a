package dev.rotor.gcp;

import com.google.api.gax.rpc.TransportChannelProvider;

/**
 * The transport seam: where each Google client's calls go. Production builds channels to the configured
 * endpoints; local mode and tests replace this one bean with channels to the embedded emulator, and
 * nothing else in the client factories changes.
 */
public interface GcpChannels {
    TransportChannelProvider channelFor(GcpService service);

    /**
     * Whether this service's calls stay on this machine (a loopback address or in-process), the one place
     * plaintext and {@code rotor.credentials=none} are allowed ({@link FakesGuard}).
     */
    boolean loopback(GcpService service);
}
