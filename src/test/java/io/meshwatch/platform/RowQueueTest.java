package io.meshwatch.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowQueueTest {

    final List<List<Integer>> writes = new ArrayList<>();
    boolean down;
    final RowQueue<Integer> q = new RowQueue<>("numbers", 5, 2, rows -> {
        if (down) {
            return Uni.createFrom().failure(new IllegalStateException("database away"));
        }
        writes.add(List.copyOf(rows));
        return Uni.createFrom().voidItem();
    });

    @Test
    void rowsAreWrittenInBatchesAndTheAnswerSaysWhetherMoreWait() {
        for (int i = 1; i <= 3; i++) {
            assertTrue(q.offer(i));
        }
        assertTrue(q.flush().await().indefinitely(), "one row left");
        assertFalse(q.flush().await().indefinitely());
        assertEquals(List.of(List.of(1, 2), List.of(3)), writes);
        assertEquals(0, q.pending());
        assertEquals(3, q.written());
    }

    @Test
    void aFailedBatchIsKeptAndWrittenLater() {
        q.offer(1);
        q.offer(2);
        down = true;
        q.flush().await().indefinitely();
        assertEquals(2, q.pending());
        assertEquals(List.of(), writes);
        down = false;
        q.flush().await().indefinitely();
        assertEquals(List.of(List.of(1, 2)), writes);
        assertEquals(0, q.pending());
    }

    @Test
    void beyondTheBoundRowsAreDroppedAndCountedNeverQueued() {
        for (int i = 0; i < 7; i++) {
            assertEquals(i < 5, q.offer(i), "row " + i);
        }
        assertEquals(5, q.pending());
        assertEquals(2, q.dropped());
        down = true;
        q.flush().await().indefinitely();
        assertFalse(q.offer(99), "a batch being retried still counts as waiting");
    }
}
