package io.sluice.cluster.worker;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The data addresses of a spread attempt's tasks, from a deployment's {@code chain/subtask=host:port} entries. */
final class TaskAddresses {
    private TaskAddresses() {}

    /** By {@code chain/subtask}; the host may be an IPv6 literal (the port follows the last colon). */
    static Map<String, InetSocketAddress> parse(List<String> entries) {
        Map<String, InetSocketAddress> placement = new HashMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            int colon = e.lastIndexOf(':');
            placement.put(e.substring(0, eq), new InetSocketAddress(e.substring(eq + 1, colon),
                    Integer.parseInt(e.substring(colon + 1))));
        }
        return placement;
    }
}
