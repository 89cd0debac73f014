package io.meshwatch.inventory;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test observer: every {@link InventoryChanged} the running service fires, in order. */
@ApplicationScoped
public class InventoryChanges {

    private final List<InventoryChanged> seen = new CopyOnWriteArrayList<>();

    void on(@Observes InventoryChanged e) {
        seen.add(e);
    }

    public List<InventoryChanged> seen() {
        return List.copyOf(seen);
    }

    public InventoryChanged last() {
        return seen.get(seen.size() - 1);
    }
}
