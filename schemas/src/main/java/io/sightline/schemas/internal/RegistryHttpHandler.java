package io.sightline.schemas.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.sightline.access.HttpAuth;
import io.sightline.access.Role;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subset of Confluent's Schema Registry REST API that serializers, deserializers and ordinary tooling use.
 * Only Avro schemas without references; no schema deletes. Compatibility is enforced per Confluent level (global
 * and per subject) with Avro's own rules. Reads come from the {@link SchemaStore}; a lookup that misses first
 * catches up with the {@link Journal} (another instance may just have written), and every change goes through it.
 */
public final class RegistryHttpHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Set<String> ACCEPTED_CONTENT_TYPES = Set.of(
            "application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json", "application/json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaStore store;
    private final Journal journal;
    private final HttpAuth auth;
    private final List<Route> routes;

    public RegistryHttpHandler(SchemaStore store, Journal journal, HttpAuth auth) {
        this.auth = auth;
        this.store = store;
        this.journal = journal;
        this.routes = routes();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                authorize(exchange);
                respond(exchange, 200, route(exchange));
            } catch (RegistryRequestException e) {
                if (e.httpStatus() == 401) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", auth.challenge());
                }
                respond(exchange, e.httpStatus(), error(e.errorCode(), e.getMessage()));
            } catch (RuntimeException e) {
                LOG.error("schema registry failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                respond(exchange, 500, error(50001, "Internal error: " + e.getMessage()));
            }
        }
    }

    /** Lets the request on, or throws 401 (no or wrong credentials) or 403 (a reader writing). */
    private void authorize(HttpExchange exchange) {
        HttpAuth.Result result = auth.check(exchange.getRequestHeaders().getFirst("Authorization"), needed(exchange));
        if (result instanceof HttpAuth.Result.Unauthenticated denied) {
            throw RegistryRequestException.unauthorized(denied.message());
        }
        if (result instanceof HttpAuth.Result.Forbidden forbidden) {
            throw RegistryRequestException.forbidden("user " + forbidden.principal() + " may read but not "
                    + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                    + " (the registry's users file gives it the read role)");
        }
    }

    /**
     * Reading is GET, plus the two POSTs that change nothing: looking a schema up under a subject and testing
     * compatibility. Registering, configuring and deleting write.
     */
    private static Role needed(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        boolean lookup = method.equals("POST") && path.matches("/subjects/[^/]+/?");
        boolean compatibilityTest = method.equals("POST") && path.startsWith("/compatibility/");
        return method.equals("GET") || method.equals("HEAD") || lookup || compatibilityTest ? Role.READ : Role.WRITE;
    }

    private JsonNode route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath().replaceAll("(.)/+$", "$1");
        boolean pathKnown = false;
        for (Route route : routes) {
            Matcher matcher = route.path().matcher(path);
            if (matcher.matches()) {
                pathKnown = true;
                if (route.method().equals(exchange.getRequestMethod())) {
                    return route.action().answer(pathParameters(matcher), exchange);
                }
            }
        }
        throw pathKnown
                ? RegistryRequestException.methodNotAllowed(exchange.getRequestMethod())
                : RegistryRequestException.notFound(path);
    }

    private List<Route> routes() {
        return List.of(
                new Route("GET", "/", (params, ex) -> JSON.createObjectNode()),
                new Route("GET", "/config", (params, ex) -> level("compatibilityLevel", store.globalLevel())),
                new Route("PUT", "/config", (params, ex) -> setLevel(null, readLevel(ex))),
                new Route("GET", "/config/{subject}", (params, ex) -> subjectLevel(params.get(0), ex)),
                new Route("PUT", "/config/{subject}", (params, ex) -> setLevel(params.get(0), readLevel(ex))),
                new Route("DELETE", "/config/{subject}", (params, ex) -> deleteLevel(params.get(0))),
                new Route("POST", "/compatibility/subjects/{subject}/versions/{version}",
                        (params, ex) -> checkCompatibility(params.get(0), params.get(1), ex)),
                new Route("GET", "/subjects", (params, ex) -> subjects()),
                new Route("POST", "/subjects/{subject}", (params, ex) -> lookup(params.get(0), readSchema(ex))),
                new Route("GET", "/subjects/{subject}/versions", (params, ex) -> versions(params.get(0))),
                new Route("POST", "/subjects/{subject}/versions",
                        (params, ex) -> register(params.get(0), readSchema(ex))),
                new Route("GET", "/subjects/{subject}/versions/{version}",
                        (params, ex) -> version(params.get(0), params.get(1))),
                new Route("GET", "/schemas/ids/{id}", (params, ex) -> schemaById(params.get(0))),
                new Route("GET", "/schemas/ids/{id}/versions", (params, ex) -> usesOfSchema(params.get(0))));
    }

    /** One endpoint: method and path template, with {placeholders} for single path segments. */
    private record Route(String method, Pattern path, Action action) {
        Route(String method, String template, Action action) {
            this(method, Pattern.compile(template.replaceAll("\\{\\w+}", "([^/]+)")), action);
        }
    }

    /** Answers a request given its decoded path parameters, in template order. */
    private interface Action {
        JsonNode answer(List<String> pathParameters, HttpExchange exchange) throws IOException;
    }

    /** Path parameters, percent-decoded (a subject may hold '/' as %2F; '+' is a literal plus in a path). */
    private static List<String> pathParameters(Matcher matcher) {
        List<String> parameters = new ArrayList<>();
        for (int group = 1; group <= matcher.groupCount(); group++) {
            String raw = matcher.group(group);
            try {
                parameters.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw RegistryRequestException.malformedRequest("bad percent-encoding in path segment " + raw);
            }
        }
        return parameters;
    }

    private JsonNode subjects() {
        ArrayNode subjects = JSON.createArrayNode();
        store.subjects().forEach(subjects::add);
        return subjects;
    }

    private static JsonNode level(String field, CompatibilityLevel level) {
        return JSON.createObjectNode().put(field, level.name());
    }

    private JsonNode subjectLevel(String subject, HttpExchange exchange) {
        boolean defaultToGlobal = queryFlag(exchange, "defaultToGlobal");
        CompatibilityLevel level = read(() -> store.subjectLevel(subject)
                .or(() -> defaultToGlobal ? Optional.of(store.globalLevel()) : Optional.empty())
                .orElseThrow(() -> RegistryRequestException.subjectLevelConfigNotFound(subject)));
        return level("compatibilityLevel", level);
    }

    private JsonNode setLevel(String subject, CompatibilityLevel level) {
        journal.write(current -> new Journal.Planned<>(level, List.of(new SchemasRecord.Config(subject, level))));
        return level("compatibility", level);
    }

    private JsonNode deleteLevel(String subject) {
        CompatibilityLevel previous = journal.write(current -> new Journal.Planned<>(
                current.subjectLevel(subject)
                        .orElseThrow(() -> RegistryRequestException.subjectLevelConfigNotFound(subject)),
                List.of(new SchemasRecord.Config(subject, null))));
        return level("compatibilityLevel", previous);
    }

    private JsonNode checkCompatibility(String subject, String version, HttpExchange exchange) throws IOException {
        String candidate = readSchema(exchange);
        Integer against = isLatest(version) ? null : parseVersion(version);
        List<String> problems = read(() -> store.compatibilityProblems(subject, against, candidate));
        ObjectNode answer = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
        if (queryFlag(exchange, "verbose")) {
            ArrayNode messages = answer.putArray("messages");
            problems.forEach(messages::add);
        }
        return answer;
    }

    private JsonNode schemaById(String id) {
        return JSON.createObjectNode().put("schema", read(() -> store.schema(parseId(id))));
    }

    private JsonNode usesOfSchema(String id) {
        ArrayNode uses = JSON.createArrayNode();
        read(() -> store.usesOf(parseId(id))).forEach(use -> uses.addObject()
                .put("subject", use.subject())
                .put("version", use.version()));
        return uses;
    }

    private JsonNode versions(String subject) {
        ArrayNode versions = JSON.createArrayNode();
        read(() -> store.versions(subject)).forEach(versions::add);
        return versions;
    }

    private JsonNode register(String subject, String canonicalSchema) {
        int id = journal.write(current -> {
            SchemaStore.Registration registration = current.planRegistration(subject, canonicalSchema);
            return new Journal.Planned<>(registration.id(), registration.entry().stream().toList());
        });
        return JSON.createObjectNode().put("id", id);
    }

    private JsonNode lookup(String subject, String canonicalSchema) {
        return subjectVersion(read(() -> store.find(subject, canonicalSchema)));
    }

    private JsonNode version(String subject, String version) {
        SchemaStore.SubjectVersion found = isLatest(version)
                ? read(() -> store.latest(subject))
                : read(() -> store.version(subject, parseVersion(version)));
        return subjectVersion(found);
    }

    /** Answers from the store; on a miss, catches up with the journal first (another instance may have written). */
    private <T> T read(Supplier<T> query) {
        try {
            return query.get();
        } catch (RegistryRequestException e) {
            if (e.httpStatus() != 404) {
                throw e;
            }
            journal.refresh();
            return query.get();
        }
    }

    private static boolean isLatest(String version) {
        return version.equals("latest") || version.equals("-1");
    }

    private static boolean queryFlag(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getQuery();
        if (query == null) {
            return false;
        }
        for (String parameter : query.split("&")) {
            String[] pair = parameter.split("=", 2);
            if (pair[0].equals(name)) {
                return pair.length == 1 || Boolean.parseBoolean(pair[1]);
            }
        }
        return false;
    }

    private static JsonNode subjectVersion(SchemaStore.SubjectVersion version) {
        return JSON.createObjectNode()
                .put("subject", version.subject())
                .put("version", version.version())
                .put("id", version.id())
                .put("schema", version.schema());
    }

    private static int parseId(String id) {
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw RegistryRequestException.schemaNotFound("Schema " + id);
        }
    }

    private static int parseVersion(String version) {
        try {
            int parsed = Integer.parseInt(version);
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // reported below like any other invalid version
        }
        throw RegistryRequestException.invalidVersion(version);
    }

    /** Reads a {"compatibility": LEVEL} body. */
    private static CompatibilityLevel readLevel(HttpExchange exchange) throws IOException {
        JsonNode level = readBody(exchange).get("compatibility");
        if (level == null || !level.isTextual()) {
            throw RegistryRequestException.invalidCompatibilityLevel(String.valueOf(level));
        }
        return CompatibilityLevel.parse(level.asText());
    }

    /** Reads a {"schema": ..., "schemaType"?: "AVRO"} body and returns the schema's canonical text. */
    private static String readSchema(HttpExchange exchange) throws IOException {
        JsonNode body = readBody(exchange);
        String schemaType = body.path("schemaType").asText("AVRO");
        if (!schemaType.equals("AVRO")) {
            throw RegistryRequestException.invalidSchema("schemaType " + schemaType + " is not supported, only AVRO");
        }
        if (body.path("references").size() > 0) {
            throw RegistryRequestException.invalidSchema("schema references are not supported");
        }
        if (!body.path("schema").isTextual() || body.get("schema").asText().isBlank()) {
            throw RegistryRequestException.invalidSchema("\"schema\" must be a non-empty string");
        }
        return canonical(body.get("schema").asText());
    }

    private static JsonNode readBody(HttpExchange exchange) throws IOException {
        requireJsonContentType(exchange);
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw RegistryRequestException.malformedRequest(e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw RegistryRequestException.malformedRequest("body must be a JSON object");
        }
        return body;
    }

    private static String canonical(String schemaText) {
        try {
            return new Schema.Parser().parse(schemaText).toString();
        } catch (RuntimeException e) {
            // Not just SchemaParseException: Avro 1.12 throws NullPointerException for an unknown type name.
            throw RegistryRequestException.invalidSchema(e.getMessage());
        }
    }

    private static void requireJsonContentType(HttpExchange exchange) {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null) {
            return;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!ACCEPTED_CONTENT_TYPES.contains(mediaType)) {
            throw RegistryRequestException.unsupportedMediaType(contentType);
        }
    }

    private static ObjectNode error(int errorCode, String message) {
        return JSON.createObjectNode().put("error_code", errorCode).put("message", message);
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
