package dev.skiff.engine;

import java.util.List;

/** What container create answers: the new ID and Docker's Warnings. */
public record CreateResult(String id, List<String> warnings) {
}
