package org.grad4j.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryTest {

    @Test
    void namesAndAliasesFindTheSameFactory() {
        Registry<String> r = new Registry<String>("greeting", false)
                .register("Hello", c -> "hello " + c.getOrDefault("who", "world"), "hi");
        assertEquals("hello world", r.create("Hello", null, "test"));
        assertEquals("hello you", r.create("hi", Map.of("who", "you"), "test"));
        assertEquals(List.of("Hello"), r.names());
        assertEquals(List.of("hi"), r.displayNames());
        assertFalse(r.contains("HELLO"), "case matters unless asked otherwise");
    }

    @Test
    void ignoringCaseFindsAnySpellingAndShowsLowerCase() {
        Registry<String> r = new Registry<String>("optimizer", true).register("Adam", c -> "adam");
        assertTrue(r.contains("ADAM"));
        assertEquals(List.of("adam"), r.displayNames());
        assertEquals(List.of("Adam"), r.names());
    }

    @Test
    void anUnknownNameListsTheKnownOnesIncludingUsers() {
        Registry<String> r = new Registry<String>("loss", false).register("Mse", c -> "mse", "mse");
        r.register("MyLoss", c -> "mine");
        var e = assertThrows(IllegalArgumentException.class, () -> r.create("msee", Map.of(), "Losses.get"));
        assertEquals("Losses.get: unknown loss \"msee\" (known: mse, MyLoss)", e.getMessage());
    }

    @Test
    void registeringATakenNameFailsUnlessReplaced() {
        Registry<String> r = new Registry<String>("layer", false).register("Dense", c -> "old", "dense");
        var e = assertThrows(IllegalArgumentException.class, () -> r.register("Dense", c -> "new"));
        assertEquals("Registry of layers: \"Dense\" is already registered (as Dense); call replace(\"Dense\", ...) to "
                + "replace it on purpose", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.register("Other", c -> "x", "dense"), "an alias is taken too");
        assertFalse(r.contains("Other"), "a failed registration registers nothing");
        r.replace("Dense", c -> "new");
        assertEquals("new", r.create("Dense", null, "test"));
        assertFalse(r.contains("dense"), "the replaced entry's aliases go with it");
    }

    @Test
    void unregisteringRemovesTheNameAndItsAliases() {
        Registry<String> r = new Registry<String>("metric", false).register("Accuracy", c -> "acc", "accuracy");
        assertTrue(r.unregister("accuracy"));
        assertFalse(r.contains("Accuracy"));
        assertFalse(r.unregister("Accuracy"));
        r.register("Accuracy", c -> "again");
        assertEquals("again", r.create("Accuracy", null, "test"));
    }

    @Test
    void blankNamesAndMissingFactoriesAreRefused() {
        Registry<String> r = new Registry<>("metric", false);
        assertThrows(IllegalArgumentException.class, () -> r.register(" ", c -> "x"));
        assertThrows(IllegalArgumentException.class, () -> r.register("X", null));
        assertThrows(IllegalArgumentException.class, () -> r.register("X", c -> "x", ""));
    }
}
