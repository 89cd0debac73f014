package io.meshwatch.inventory;

import java.util.List;

/** An inventory that cannot be used, with every problem found (not only the first). */
public final class InvalidInventoryException extends Exception {

    private final List<String> problems;
    private final boolean malformed;

    public InvalidInventoryException(List<String> problems) {
        this(problems, false);
    }

    private InvalidInventoryException(List<String> problems, boolean malformed) {
        super(problems.size() == 1 ? "invalid inventory: " + problems.get(0)
                : "invalid inventory (" + problems.size() + " problems): " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
        this.malformed = malformed;
    }

    /** The document is not YAML or JSON at all (as opposed to a well-formed document with problems). */
    static InvalidInventoryException malformed(String problem) {
        return new InvalidInventoryException(List.of(problem), true);
    }

    /** True when the document did not parse as YAML or JSON; its one problem says where. */
    public boolean malformed() {
        return malformed;
    }

    /** Each problem as one line that names where it is, e.g. {@code circuits[1].a.router: unknown router 'cx-x'}. */
    public List<String> problems() {
        return problems;
    }
}
