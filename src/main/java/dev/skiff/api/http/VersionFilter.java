package dev.skiff.api.http;

import dev.skiff.errors.InvalidArgumentException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strips a "/vX.Y" prefix and checks X.Y against the supported range, as dockerd's version
 * middleware does; unversioned paths get {@link ApiVersions#CURRENT}.
 */
public final class VersionFilter implements Filter {
    private static final Pattern PREFIX = Pattern.compile("^/v([0-9.]+)(/.*)$");

    /** {@code path} without its "/vX.Y" prefix, if it has one. */
    static String unversioned(String path) {
        Matcher m = PREFIX.matcher(path);
        return m.matches() ? m.group(2) : path;
    }

    @Override
    public void filter(HttpRequest request, HttpResponse response, Chain chain) throws Exception {
        Matcher m = PREFIX.matcher(request.path());
        if (!m.matches()) {
            chain.proceed(request, response);
            return;
        }
        String version = m.group(1);
        if (ApiVersions.compare(version, ApiVersions.MINIMUM) < 0) {
            throw new InvalidArgumentException("client version " + version + " is too old. Minimum supported API version is "
                    + ApiVersions.MINIMUM + ", please upgrade your client to a newer version");
        }
        if (ApiVersions.compare(version, ApiVersions.CURRENT) > 0) {
            throw new InvalidArgumentException("client version " + version + " is too new. Maximum supported API version is "
                    + ApiVersions.CURRENT);
        }
        chain.proceed(RewrittenRequest.withVersion(request, m.group(2), version), response);
    }
}
