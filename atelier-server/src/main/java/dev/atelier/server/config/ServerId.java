package dev.atelier.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * Names this server process among the servers sharing a database: {@code <host>:<pid>:<random>}, at most 64
 * characters. Leases and claims (jobs, compute instances) are held under it, so a restarted server is another one.
 */
public final class ServerId {
    private ServerId() {
    }

    public static String generate() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        String id = host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
        return id.length() > 64 ? id.substring(id.length() - 64) : id;
    }
}
