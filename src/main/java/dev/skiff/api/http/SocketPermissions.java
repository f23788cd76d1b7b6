package dev.skiff.api.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/**
 * Gives the API socket dockerd's access rule: mode 0660, group {@code skiff} when that group exists
 * (members may talk to the daemon without sudo), else root.
 */
public final class SocketPermissions {
    /** The default owning group, as dockerd's is "docker". */
    public static final String GROUP = "skiff";

    private SocketPermissions() {
    }

    /** Mode 0660, group {@code groupName} (root when that group does not exist). */
    public static void apply(Path socket, String groupName) throws IOException {
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
        UserPrincipalLookupService lookup = socket.getFileSystem().getUserPrincipalLookupService();
        GroupPrincipal group;
        try {
            group = lookup.lookupPrincipalByGroupName(groupName);
        } catch (UserPrincipalNotFoundException e) {
            group = lookup.lookupPrincipalByGroupName("root");
        }
        Files.getFileAttributeView(socket, PosixFileAttributeView.class).setGroup(group);
    }
}
