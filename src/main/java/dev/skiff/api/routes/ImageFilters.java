package dev.skiff.api.routes;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.image.Image;
import dev.skiff.image.ImageService;
import dev.skiff.image.Reference;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** The filters of GET /images/json and POST /images/prune, as Docker reads them. */
final class ImageFilters {
    private static final Set<String> LIST_FILTERS = Set.of("dangling", "label", "reference", "before", "since", "until");
    private static final Set<String> PRUNE_FILTERS = Set.of("dangling", "label", "label!", "until");

    private ImageFilters() {
    }

    /**
     * The images `docker images` shows without -a, and `docker system df` counts: all but the untagged
     * intermediate ones (a classic build's step images, parents of others), as dockerd lists them.
     */
    static List<Image> topLevel(List<Image> all) {
        Set<String> parents = all.stream().map(Image::parent).filter(p -> !p.isEmpty())
                .collect(java.util.stream.Collectors.toSet());
        return all.stream().filter(i -> !i.repoTags().isEmpty() || !parents.contains(i.id())).toList();
    }

    /** The filter for the image list. */
    static Predicate<Image> forList(Map<String, List<String>> filters, ImageService images) {
        check(filters, LIST_FILTERS);
        Predicate<Image> p = common(filters);
        for (String d : filters.getOrDefault("dangling", List.of())) {
            boolean dangling = bool(d, "dangling");
            p = p.and(i -> i.repoTags().isEmpty() == dangling);
        }
        List<String> refs = filters.getOrDefault("reference", List.of());
        if (!refs.isEmpty()) {
            // tags and digests alike, as dockerd's list: an image pulled by digest only is listed under its repository
            p = p.and(i -> java.util.stream.Stream.concat(i.repoTags().stream(), i.repoDigests().stream())
                    .anyMatch(t -> refs.stream().anyMatch(pat -> referenceMatches(pat, t))));
        }
        for (String before : filters.getOrDefault("before", List.of())) {
            Instant t = images.resolve(before).created();
            p = p.and(i -> i.created().isBefore(t));
        }
        for (String since : filters.getOrDefault("since", List.of())) {
            Instant t = images.resolve(since).created();
            p = p.and(i -> i.created().isAfter(t));
        }
        return p;
    }

    /** With a reference filter, Docker lists only the tags and digests that match it. */
    static Image onlyMatchingTags(Image image, Map<String, List<String>> filters) {
        List<String> patterns = filters.getOrDefault("reference", List.of());
        if (patterns.isEmpty()) {
            return image;
        }
        List<String> tags = image.repoTags().stream()
                .filter(t -> patterns.stream().anyMatch(p -> referenceMatches(p, t))).toList();
        List<String> digests = image.repoDigests().stream()
                .filter(d -> patterns.stream().anyMatch(p -> referenceMatches(p, d))).toList();
        return new Image(image.id(), tags, digests, image.created(), image.size(), image.config(), image.parent());
    }

    /** The filter for prune, and whether it prunes every unused image rather than only dangling ones. */
    static Predicate<Image> forPrune(Map<String, List<String>> filters) {
        check(filters, PRUNE_FILTERS);
        Predicate<Image> p = common(filters);
        for (String label : filters.getOrDefault("label!", List.of())) {
            p = p.and(i -> !hasLabel(i, label));
        }
        return p;
    }

    static boolean pruneAll(Map<String, List<String>> filters) {
        return filters.getOrDefault("dangling", List.of()).stream().anyMatch(d -> !bool(d, "dangling"));
    }

    private static Predicate<Image> common(Map<String, List<String>> filters) {
        Predicate<Image> p = i -> true;
        for (String label : filters.getOrDefault("label", List.of())) {
            p = p.and(i -> hasLabel(i, label));
        }
        for (String until : filters.getOrDefault("until", List.of())) {
            Instant t = dev.skiff.engine.Times.parseApiTime(until, Instant.now());
            p = p.and(i -> i.created().isBefore(t));
        }
        return p;
    }

    private static void check(Map<String, List<String>> filters, Set<String> allowed) {
        for (String name : filters.keySet()) {
            if (!allowed.contains(name)) {
                throw new InvalidArgumentException("invalid filter '" + name + "' (use one of " + allowed + ")");
            }
        }
    }

    private static boolean bool(String value, String filter) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new InvalidArgumentException("invalid filter '" + filter + "=" + value
                    + "' (use true or false)");
        };
    }

    private static boolean hasLabel(Image image, String filter) {
        Map<String, String> labels = ImageJson.labels(image);
        int eq = filter.indexOf('=');
        return eq < 0 ? labels.containsKey(filter) : filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }

    /** Docker's FamiliarMatch: the glob against "name:tag", then against the name alone. */
    static boolean referenceMatches(String pattern, String ref) {
        Reference r = Reference.parse(ref);
        java.nio.file.PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (java.util.regex.PatternSyntaxException e) {
            // dockerd answers 500 "syntax error in pattern": it is the request's fault
            throw new InvalidArgumentException("invalid filter 'reference=" + pattern + "': syntax error in pattern");
        }
        return matcher.matches(Path.of(r.familiar())) || matcher.matches(Path.of(r.familiarName()));
    }
}
