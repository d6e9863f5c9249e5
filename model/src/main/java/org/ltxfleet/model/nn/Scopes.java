package org.ltxfleet.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Frees a computation's intermediate tensors as soon as it returns. DJL keeps every op result until
 * its manager closes; in a scope, every tensor the body creates is closed at the end except its
 * result, which moves to the enclosing scope. Closing a tensor only drops this handle: what autograd
 * saved for the backward pass stays alive with the graph, so under grad mode the memory left is
 * what the backward pass needs.
 */
public final class Scopes {

    private Scopes() {
    }

    /** {@code body}'s result, which must be a tensor the body created (never a parameter or an input). */
    public static NDArray scoped(Supplier<NDArray> body) {
        NDArray result;
        try (NDScope scope = new NDScope()) {
            result = body.get();
            NDScope.unregister(result);
        }
        NDScope.register(result);
        return result;
    }
}
