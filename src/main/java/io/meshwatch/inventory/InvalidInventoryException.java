package io.meshwatch.inventory;

import java.util.List;

/** An inventory that cannot be used, with every problem found (not only the first). */
public final class InvalidInventoryException extends Exception {

    private final List<String> problems;

    public InvalidInventoryException(List<String> problems) {
        super(problems.size() == 1 ? "invalid inventory: " + problems.get(0)
                : "invalid inventory (" + problems.size() + " problems): " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as one line that names where it is, e.g. {@code circuits[1].a.router: unknown router 'cx-x'}. */
    public List<String> problems() {
        return problems;
    }
}
