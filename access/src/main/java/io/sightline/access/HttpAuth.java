package io.sightline.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who an HTTP request comes from, from its {@code Authorization} header: HTTP basic against a {@link Users} file,
 * or a bearer token from a tokens file (each token reads only). With neither configured, every request is let in.
 * Credentials once checked are remembered by their SHA-256, so a page polling every second pays for one password
 * hash, not one per request.
 */
public final class HttpAuth {

    /** The outcome for one request. */
    public sealed interface Result {

        /** Let in, as this principal with this role. */
        record Granted(String principal, Role role) implements Result {
        }

        /** No or wrong credentials: answer 401 with the challenge. */
        record Unauthenticated(String message) implements Result {
        }

        /** Known, but the role does not allow it: answer 403. */
        record Forbidden(String principal, String message) implements Result {
        }
    }

    private static final int REMEMBERED = 1024;
    private static final Result.Granted ANYONE = new Result.Granted("anonymous", Role.WRITE);

    private final Optional<Users> users;
    private final List<byte[]> tokenHashes;
    private final String realm;
    private final Map<String, Result.Granted> checked = new ConcurrentHashMap<>();

    private HttpAuth(Optional<Users> users, List<String> tokens, String realm) {
        this.users = users;
        this.tokenHashes = tokens.stream().map(token -> sha256(token.getBytes(StandardCharsets.UTF_8))).toList();
        this.realm = realm;
    }

    /** No authentication: every request is let in with every role. */
    public static HttpAuth open() {
        return new HttpAuth(Optional.empty(), List.of(), "sightline");
    }

    /** Basic authentication against the users (when given) and bearer tokens (when any). */
    public static HttpAuth of(Optional<Users> users, List<String> tokens, String realm) {
        return new HttpAuth(users, List.copyOf(tokens), realm);
    }

    /** The tokens of a tokens file: every line that is neither blank nor a {@code #} comment. */
    public static List<String> readTokens(Path file) {
        try {
            List<String> tokens = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
            if (tokens.isEmpty()) {
                throw new IllegalArgumentException("tokens file " + file + " has no token");
            }
            if (tokens.stream().anyMatch(token -> token.length() < 16)) {
                throw new IllegalArgumentException("tokens file " + file + " has a token shorter than 16 characters");
            }
            return tokens;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read tokens file " + file + ": " + e.getMessage(), e);
        }
    }

    public boolean required() {
        return users.isPresent() || !tokenHashes.isEmpty();
    }

    /** The {@code WWW-Authenticate} value of a 401. */
    public String challenge() {
        return users.isPresent() ? "Basic realm=\"" + realm + "\", charset=\"UTF-8\"" : "Bearer realm=\"" + realm + "\"";
    }

    /** Checks the request's {@code Authorization} header (null when absent) for something needing {@code needed}. */
    public Result check(String authorization, Role needed) {
        if (!required()) {
            return ANYONE;
        }
        if (authorization == null || authorization.isBlank()) {
            return new Result.Unauthenticated("credentials required");
        }
        String key = Base64.getEncoder().encodeToString(sha256(authorization.getBytes(StandardCharsets.UTF_8)));
        Result.Granted granted = checked.get(key);
        if (granted == null) {
            Optional<Result.Granted> found = authenticate(authorization.strip());
            if (found.isEmpty()) {
                return new Result.Unauthenticated("wrong credentials");
            }
            granted = found.get();
            if (checked.size() >= REMEMBERED) {
                checked.clear();
            }
            checked.put(key, granted);
        }
        if (!granted.role().allows(needed)) {
            return new Result.Forbidden(granted.principal(), granted.principal() + " may only read");
        }
        return granted;
    }

    private Optional<Result.Granted> authenticate(String authorization) {
        int space = authorization.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String scheme = authorization.substring(0, space);
        String credentials = authorization.substring(space + 1).strip();
        if (scheme.equalsIgnoreCase("Bearer")) {
            byte[] hash = sha256(credentials.getBytes(StandardCharsets.UTF_8));
            return tokenHashes.stream().anyMatch(known -> MessageDigest.isEqual(known, hash))
                    ? Optional.of(new Result.Granted("token", Role.READ)) : Optional.empty();
        }
        if (!scheme.equalsIgnoreCase("Basic") || users.isEmpty()) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String name = decoded.substring(0, colon);
        char[] password = decoded.substring(colon + 1).toCharArray();
        return users.get().find(name).filter(user -> PasswordHash.matches(password, user.passwordHash()))
                .map(user -> new Result.Granted(user.name(), user.role()));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
