package dev.rotor.local;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static dev.rotor.local.Statuses.invalid;

/**
 * Offset paging with opaque tokens, for every emulated list: page size 0 means the server decides, and a size
 * above the API's maximum is capped (Secret Manager: 25,000, gcp-api-facts §1.6).
 */
public record Page(int from, int to, String nextToken) {
    public static Page of(int total, int requestedSize, String token, int maxSize) {
        if (requestedSize < 0) {
            throw invalid("page_size must not be negative.");
        }
        int size = requestedSize == 0 || requestedSize > maxSize ? maxSize : requestedSize;
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
