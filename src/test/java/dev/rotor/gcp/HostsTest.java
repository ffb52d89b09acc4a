package dev.rotor.gcp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostsTest {
    @Test
    void judgesHostPortAndUrlEndpointsAlike() {
        assertTrue(Hosts.isLoopback("127.0.0.1:8085"));
        assertTrue(Hosts.isLoopback("http://127.0.0.1:38399/"), "Compute's endpoint is a URL");
        assertTrue(Hosts.isLoopback("http://[::1]:8080/"));
        assertTrue(Hosts.isLoopback("http://localhost:8080"));
        assertFalse(Hosts.isLoopback("http://10.0.0.5:8080/"));
        assertTrue(Hosts.isGoogle("https://compute.googleapis.com/compute/v1/"));
        assertTrue(Hosts.isGoogle("secretmanager.googleapis.com:443"));
        assertFalse(Hosts.isGoogle("https://compute.googleapis.com.evil.example/"));
    }
}
