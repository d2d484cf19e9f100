package io.sightline.dashboard;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The events API's query parameters, checked: a bad one is a 400 with a message that says what to send. */
final class ApiParams {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    private ApiParams() {}

    /** The query parameter {@code name} as an instant, {@code otherwise} when it is not given. */
    static Instant instant(Context ctx, String name, Instant otherwise) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadRequest(name + " must be an ISO-8601 instant such as 2026-12-01T10:15:30Z, got '" + value
                    + "'");
        }
    }

    /** The {@code limit} query parameter: how many records an answer holds at most. */
    static int limit(Context ctx) {
        String value = ctx.queryParam("limit");
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadRequest("limit must be a whole number from 1 to " + MAX_LIMIT + ", got '" + value + "'");
    }

    /** A request the API cannot answer as asked: answered 400 with its message. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
