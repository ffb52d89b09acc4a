package dev.rotor.local.secretmanager;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static dev.rotor.local.Statuses.invalid;

/** Offset paging with opaque tokens; page size 0 means the server decides, above 25,000 is capped (§1.6). */
record Page(int from, int to, String nextToken) {
    static Page of(int total, int requestedSize, String token) {
        if (requestedSize < 0) {
            throw invalid("page_size must not be negative.");
        }
        int size = requestedSize == 0 || requestedSize > SecretManagerState.MAX_PAGE_SIZE
                ? SecretManagerState.MAX_PAGE_SIZE : requestedSize;
        int from = 0;
        if (!token.isEmpty()) {
            try {
                from = Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw invalid("Invalid page_token.");
            }
        }
        from = Math.min(Math.max(from, 0), total);
        int to = Math.min(total, from + size);
        String next = to < total
                ? Base64.getUrlEncoder().encodeToString(Integer.toString(to).getBytes(StandardCharsets.UTF_8)) : "";
        return new Page(from, to, next);
    }
}
