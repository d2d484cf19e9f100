package io.sightline.dashboard;

import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The dashboard's HTTPS listener, in place of plain HTTP, from a keystore's TLS context. */
final class TlsConnector {

    private TlsConnector() {
    }

    static Connector create(Server server, HttpConfiguration http, SSLContext context, String host, int port) {
        var tls = new SslContextFactory.Server();
        tls.setSslContext(context);
        var https = new HttpConfiguration(http);
        var secure = new SecureRequestCustomizer();
        // Peers and users reach an instance by the name they were given (an IP, a service name), which need not be
        // the certificate's; the client's own check of the certificate is what matters.
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        var connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }
}
