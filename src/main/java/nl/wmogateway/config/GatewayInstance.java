package nl.wmogateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Who this running gateway is among the instances that share one database and broker: a stable
 * name ({@code wmo.instance-id}, by default the host name and server port) and, per start, an
 * owner id ({@code name/run}) that leases in the database carry. A restarted instance recognises the
 * leases of its own earlier run by the name and takes them back at once.
 */
@Component
public class GatewayInstance {

    private final String id;
    private final String owner;

    public GatewayInstance(WmoProperties props, Environment env) {
        String configured = props.instanceId() == null ? "" : props.instanceId().trim();
        this.id = configured.isEmpty() ? hostName() + ":" + env.getProperty("server.port", "8443") : configured;
        if (id.contains("/") || id.length() > 150) {
            throw new IllegalStateException("wmo.instance-id must be at most 150 characters without '/', got " + id);
        }
        this.owner = id + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The configured (or derived) name of this instance. */
    public String id() {
        return id;
    }

    /** This run of this instance, as written in leases. */
    public String owner() {
        return owner;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "gateway";
        }
    }
}
