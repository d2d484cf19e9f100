package io.sightline.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/**
 * Client for any Confluent-compatible schema registry (Confluent, Karapace, Redpanda, Apicurio ccompat, or
 * {@link EmbeddedSchemaRegistry}). Thread-safe. Schemas by id and registrations are cached forever, since both are
 * immutable in a registry; "latest" is always asked afresh.
 *
 * <p>With several base URLs, each request tries them in order and moves on only when one cannot be reached; an
 * error answer from a registry is final.
 */
public final class SchemaRegistryClient {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = "application/vnd.schemaregistry.v1+json, "
            + "application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> baseUrls;
    private final Map<URI, String> authorizations = new ConcurrentHashMap<>();
    private final HttpClient http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsByRegistration = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {
    }

    public SchemaRegistryClient(List<URI> baseUrls) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("schema registry needs at least one base URL");
        }
        this.baseUrls = baseUrls.stream().map(SchemaRegistryClient::withoutUserInfo).toList();
        for (URI url : baseUrls) {
            if (url.getRawUserInfo() != null) {
                authorizations.put(withoutUserInfo(url), "Basic " + Base64.getEncoder().encodeToString(
                        URLDecoder.decode(url.getRawUserInfo(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)));
            }
        }
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    /**
     * A client for a comma-separated URL list, as in Kafka's {@code schema.registry.url} setting. A URL may carry
     * a user and password ({@code https://USER:PASSWORD@host:8081}, Confluent's {@code basic.auth.credentials.source
     * URL}); they are sent as HTTP basic authentication, never as part of the URL, and never printed.
     */
    public static SchemaRegistryClient forUrls(String commaSeparatedUrls) {
        List<URI> urls = Arrays.stream(commaSeparatedUrls.split(","))
                .map(String::trim)
                .filter(url -> !url.isEmpty())
                .map(URI::create)
                .toList();
        return new SchemaRegistryClient(urls);
    }

    /** A comma-separated URL list with each URL's user and password given, percent-encoded (USER_INFO). */
    public static String withUserInfo(String commaSeparatedUrls, String userInfo) {
        int colon = userInfo.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("registry user info must be USER:PASSWORD");
        }
        String encoded = encode(userInfo.substring(0, colon)) + ":" + encode(userInfo.substring(colon + 1));
        return Arrays.stream(commaSeparatedUrls.split(",")).map(String::trim).filter(url -> !url.isEmpty())
                .map(url -> url.replaceFirst("^(https?://)(?:[^@/]*@)?", "$1" + Matcher.quoteReplacement(encoded) + "@"))
                .collect(Collectors.joining(","));
    }

    /** The URL list as it may be printed: without users and passwords. */
    public static String redacted(String commaSeparatedUrls) {
        return commaSeparatedUrls.replaceAll("(https?://)[^@/,]*@", "$1");
    }

    private static URI withoutUserInfo(URI url) {
        return url.getRawUserInfo() == null ? url : URI.create(url.toString().replaceFirst("//[^@/]*@", "//"));
    }

    /** The registries' URLs, without users and passwords. */
    public List<URI> baseUrls() {
        return baseUrls;
    }

    /** Registers the schema under the subject (a no-op if it is already there) and returns its global id. */
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsByRegistration.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaRequest(schema));
        int id = answer.path("id").asInt();
        idsByRegistration.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** The version of the subject that holds exactly this schema; {@link SchemaNotFoundException} if none does. */
    public RegisteredSchema lookup(String subject, Schema schema) {
        return registeredSchema(send("POST", "/subjects/" + encode(subject), schemaRequest(schema)));
    }

    /** The schema with this global id; {@link SchemaNotFoundException} if the registry has none. */
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        Schema schema = parse(answer.path("schema").asText(), "schema id " + id);
        schemasById.put(id, schema);
        return schema;
    }

    /**
     * Sets the subject's compatibility level (NONE, BACKWARD, FORWARD, FULL, or one of those with _TRANSITIVE),
     * unless it already has it.
     */
    public void requireCompatibility(String subject, String level) {
        String path = "/config/" + encode(subject);
        try {
            if (level.equals(send("GET", path, null).path("compatibilityLevel").asText())) {
                return;
            }
        } catch (SchemaNotFoundException noLevelOfItsOwn) {
            // 40408: the subject follows the global level until it gets one
        }
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        send("PUT", path, body);
    }

    /** Asks the registry for its global config: a cheap request that proves it is reachable and speaks the API. */
    public void ping() {
        send("GET", "/config", null);
    }

    /** The newest version of the subject; {@link SchemaNotFoundException} if the subject does not exist. */
    public RegisteredSchema latest(String subject) {
        return registeredSchema(send("GET", "/subjects/" + encode(subject) + "/versions/latest", null));
    }

    private static ObjectNode schemaRequest(Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schemaType", "AVRO");
        body.put("schema", schema.toString());
        return body;
    }

    private RegisteredSchema registeredSchema(JsonNode answer) {
        String subject = answer.path("subject").asText();
        int version = answer.path("version").asInt();
        int id = answer.path("id").asInt();
        Schema schema = parse(answer.path("schema").asText(), subject + " version " + version);
        schemasById.putIfAbsent(id, schema);
        return new RegisteredSchema(subject, version, id, schema);
    }

    private static Schema parse(String schemaJson, String what) {
        try {
            return new Schema.Parser().parse(schemaJson);
        } catch (RuntimeException e) {
            // Not just SchemaParseException: Avro 1.12 throws NullPointerException for an unknown type name.
            throw new SchemaRegistryException("registry returned an unparseable Avro schema for " + what, e);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, ObjectNode body) {
        byte[] requestBody = body == null ? null : body.toString().getBytes(StandardCharsets.UTF_8);
        IOException lastFailure = null;
        for (URI baseUrl : baseUrls) {
            try {
                HttpResponse<byte[]> response = http.send(request(baseUrl, authorizations.get(baseUrl), method, path,
                                requestBody),
                        HttpResponse.BodyHandlers.ofByteArray());
                return answerOrThrow(method, path, response);
            } catch (IOException e) {
                lastFailure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted during " + method + " " + path, e);
            }
        }
        throw new SchemaRegistryException(
                "schema registry unreachable at " + baseUrls + " for " + method + " " + path + ": " + lastFailure,
                lastFailure);
    }

    private static HttpRequest request(URI baseUrl, String authorization, String method, String path, byte[] body) {
        String base = baseUrl.toString().replaceAll("/+$", "");
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", ACCEPT)
                .header("Content-Type", CONTENT_TYPE)
                .method(method, publisher);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    private static JsonNode answerOrThrow(String method, String path, HttpResponse<byte[]> response) {
        JsonNode answer = readJson(response.body());
        int status = response.statusCode();
        if (status < 300 && answer != null) {
            return answer;
        }
        int errorCode = answer != null && answer.has("error_code") ? answer.get("error_code").asInt() : status;
        String detail = answer != null && answer.has("message")
                ? answer.get("message").asText()
                : new String(response.body(), StandardCharsets.UTF_8);
        String message = method + " " + path + " failed: " + detail + " (error " + errorCode + ", HTTP " + status + ")";
        if (status == 404) {
            throw new SchemaNotFoundException(message, errorCode);
        }
        throw new SchemaRegistryException(message, status, errorCode);
    }

    private static JsonNode readJson(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }
}
