package dev.skiff.image;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Layers and blobs that work in progress (an import, a load, a commit) has created but no image record
 * names yet: garbage collection leaves them alone until the work ends, as containerd's leases do.
 */
final class Leases {
    private final Set<Lease> open = ConcurrentHashMap.newKeySet();

    Lease open() {
        Lease lease = new Lease();
        open.add(lease);
        return lease;
    }

    /** Whether some work in progress is creating layers or blobs it cannot name before they exist. */
    boolean anyUnnamed() {
        return open.stream().anyMatch(l -> l.unnamed);
    }

    /** Every digest some open lease holds. */
    Set<Digest> held() {
        Set<Digest> all = new HashSet<>();
        for (Lease lease : open) {
            all.addAll(lease.digests);
        }
        return all;
    }

    /** One piece of work's protection; closing it hands the digests to the image records (or to GC). */
    final class Lease implements AutoCloseable {
        private final Set<Digest> digests = ConcurrentHashMap.newKeySet();
        private volatile boolean unnamed;

        /**
         * Says this work creates content whose digest is known only once it is in place (an import hashes
         * as it unpacks); until the lease closes, garbage collection leaves unreferenced layers alone.
         */
        void unnamed() {
            unnamed = true;
        }

        void add(Digest digest) {
            digests.add(digest);
        }

        @Override
        public void close() {
            open.remove(this);
        }
    }
}
