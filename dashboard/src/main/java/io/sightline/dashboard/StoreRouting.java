package io.sightline.dashboard;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Where a camera's stores live among the dashboard instances: a request about a camera is answered from local stores
 * when this instance owns the camera's partition, else relayed to the owner; a request about all cameras asks every
 * instance that holds a store. A relayed request carries {@code local=true} and is never relayed again.
 */
final class StoreRouting {

    /** Names the instance that answered, on every routed response. */
    static final String INSTANCE_HEADER = "X-Sightline-Instance";
    /** Set on forwarded requests: answer from local stores, never forward again. */
    private static final String LOCAL = "local";

    /** Answers a request about one camera from a local store. */
    interface CameraHandler {
        void handle(Context ctx, String camera) throws Exception;
    }

    private final Supplier<KafkaStreams> streams;
    private final Supplier<HostInfo> self;
    private final Peers peers;

    StoreRouting(Supplier<KafkaStreams> streams, Supplier<HostInfo> self, Peers peers) {
        this.streams = streams;
        this.self = self;
        this.peers = peers;
    }

    /** The camera of the path's {@code {id}}, answered where its store is. */
    void routed(Context ctx, String store, CameraHandler handler) throws Exception {
        String camera = ctx.pathParam("id");
        routed(ctx, store, camera, c -> handler.handle(c, camera));
    }

    /** Answers from local stores when this instance owns the camera's partition, else relays to the owner. */
    void routed(Context ctx, String store, String camera, Handler local) throws Exception {
        HostInfo here = self.get();
        if (isForwarded(ctx)) {
            ctx.header(INSTANCE_HEADER, here.host() + ":" + here.port());
            local.handle(ctx);
            return;
        }
        KeyQueryMetadata owner = streams.get().queryMetadataForKey(store, camera, Serdes.String().serializer());
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE) || owner.activeHost() == null) {
            throw new InvalidStateStoreException("no owner of " + camera + " in " + store + " yet");
        }
        if (owner.activeHost().equals(here)) {
            ctx.header(INSTANCE_HEADER, here.host() + ":" + here.port());
            local.handle(ctx);
        } else {
            peers.relay(ctx, owner.activeHost());
        }
    }

    /** Every instance that holds {@code store}; this one when none is known yet. */
    List<HostInfo> hosts(String store) {
        List<HostInfo> hosts = new ArrayList<>();
        for (StreamsMetadata m : streams.get().streamsMetadataForStore(store)) {
            hosts.add(m.hostInfo());
        }
        if (hosts.isEmpty()) {
            hosts.add(self.get());
        }
        return hosts;
    }

    static boolean isForwarded(Context ctx) {
        return "true".equals(ctx.queryParam(LOCAL));
    }
}
