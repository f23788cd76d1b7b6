package dev.skiff.it;

import static dev.skiff.it.Cli.docker;

/** Small helpers the network integration tests share. */
final class NetworkItSupport {
    private NetworkItSupport() {
    }

    /** The container's address on {@code network}, from inspect. */
    static String ip(SkiffdProcess d, String container, String network) {
        return docker(d, "inspect", "-f", "{{(index .NetworkSettings.Networks \"" + network + "\").IPAddress}}", container)
                .assertOk().out();
    }

    /** An HTTP GET of {@code ip}:80 from a throwaway busybox on {@code network} (nc, 3 s timeout); its output. */
    static String fetch(SkiffdProcess d, String network, String ip) {
        return docker(d, "run", "--rm", "--network", network, "busybox", "sh", "-c",
                "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 " + ip + " 80").stdout();
    }
}
