package io.sightline.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a pinned model file: the assets directory, then the cache, then a download into the cache. Whatever file is
 * returned has been checked against the pinned sha256.
 */
final class AssetResolver {

    private static final Logger log = LoggerFactory.getLogger(AssetResolver.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(5);

    private final ModelStoreConfig config;

    AssetResolver(ModelStoreConfig config) {
        this.config = config;
    }

    Path resolve(ModelSpec spec) {
        Optional<Path> inAssets = config.assetsDir().map(dir -> dir.resolve(spec.relativePath())).filter(Files::isRegularFile);
        if (inAssets.isPresent()) {
            return verified(spec, inAssets.get(), "assets directory");
        }
        Path cached = config.cacheDir().resolve(spec.relativePath());
        if (Files.isRegularFile(cached)) {
            return verified(spec, cached, "cache");
        }
        if (!config.allowDownload()) {
            throw new ModelUnavailableException(notFound(spec, cached) + " and downloading is disabled; " + remedy(spec), null);
        }
        return download(spec, spec.source(), cached, DownloadProgress.NONE, notFound(spec, cached) + " and downloading");
    }

    /** Fetches the model into the cache even if a copy is there, from {@code from} (a mirror) or its pinned URL. */
    Path pull(ModelSpec spec, URI from, DownloadProgress progress) {
        return download(spec, from, config.cacheDir().resolve(spec.relativePath()), progress,
                "model " + spec.name() + " (" + spec.relativePath() + "): downloading");
    }

    /** Where the model is now (assets directory first, then the cache), unverified; empty when in neither. */
    Optional<Path> locate(ModelSpec spec) {
        return config.assetsDir().map(dir -> dir.resolve(spec.relativePath())).filter(Files::isRegularFile)
                .or(() -> Optional.of(config.cacheDir().resolve(spec.relativePath())).filter(Files::isRegularFile));
    }

    static Path verified(ModelSpec spec, Path file, String origin) {
        String actual = sha256(file);
        if (!actual.equals(spec.sha256())) {
            throw ModelIntegrityException.ofFile(spec, file, actual);
        }
        log.info("model {} {} from {} {}", spec.name(), spec.version(), origin, file);
        return file;
    }

    private Path download(ModelSpec spec, URI source, Path target, DownloadProgress progress, String what) {
        log.info("model {}: downloading {}", spec.name(), source);
        Path partial = null;
        try {
            Files.createDirectories(target.getParent());
            // Download beside the target so the final move is an atomic rename on the same file system.
            partial = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
            fetch(source, partial, progress);
            String actual = sha256(partial);
            if (!actual.equals(spec.sha256())) {
                throw ModelIntegrityException.ofDownload(spec, source, partial, actual);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            partial = null;
            log.info("model {} {} downloaded to {}", spec.name(), spec.version(), target);
            return target;
        } catch (IOException e) {
            throw new ModelUnavailableException(what + " " + source + " failed (" + describe(e) + "); " + remedy(spec),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelUnavailableException("interrupted while downloading model " + spec.name(), e);
        } finally {
            deleteQuietly(partial);
        }
    }

    private static void fetch(URI source, Path destination, DownloadProgress progress)
            throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        HttpRequest request = HttpRequest.newBuilder(source).timeout(DOWNLOAD_TIMEOUT).GET().build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body(); OutputStream out = Files.newOutputStream(destination)) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            byte[] chunk = new byte[64 * 1024];
            long done = 0;
            progress.update(0, total);
            for (int n; (n = body.read(chunk)) > 0; ) {
                out.write(chunk, 0, n);
                done += n;
                progress.update(done, total);
            }
        }
    }

    private String notFound(ModelSpec spec, Path cached) {
        String assets = config.assetsDir().map(dir -> "assets directory " + dir + ", ").orElse("no assets directory set, ");
        return "model " + spec.name() + " (" + spec.relativePath() + ") not found: " + assets + "not in cache " + cached;
    }

    private static String remedy(ModelSpec spec) {
        return "set --assets DIR or " + ModelStoreConfig.ASSETS_ENV + " to a directory containing " + spec.relativePath();
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[64 * 1024];
            for (int n; (n = in.read(chunk)) > 0; ) {
                digest.update(chunk, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new ModelUnavailableException("cannot read model file " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not delete partial download {}: {}", file, e.getMessage());
        }
    }
}
