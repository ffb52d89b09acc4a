package dev.rotor.local.secretmanager;

import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.protobuf.ByteString;

import java.util.ArrayList;
import java.util.List;

/** One secret's state inside the emulator: the resource, its versions (oldest first), and payloads. */
final class StoredSecret {
    Secret secret;
    final List<StoredVersion> versions = new ArrayList<>();

    StoredSecret(Secret secret) {
        this.secret = secret;
    }

    long nextVersionNumber() {
        return versions.size() + 1L;
    }

    static final class StoredVersion {
        SecretVersion version;
        ByteString data;
        final long crc32c;

        StoredVersion(SecretVersion version, ByteString data, long crc32c) {
            this.version = version;
            this.data = data;
            this.crc32c = crc32c;
        }

        long number() {
            String name = version.getName();
            return Long.parseLong(name.substring(name.lastIndexOf('/') + 1));
        }
    }
}
