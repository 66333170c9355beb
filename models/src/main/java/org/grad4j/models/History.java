package org.grad4j.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.models.callbacks.Callback;

/**
 * Keras' {@code History}: what {@code fit} returns. {@link #history()} maps each log name to its values,
 * one per epoch it was logged in: {@code loss} and each metric every epoch, {@code val_} entries only on
 * validation epochs (so with {@code validationFreq(2)} {@code val_loss} holds epochs 2, 4, ...; see
 * {@link #epochsOf}), and {@code learning_rate}.
 */
public final class History extends Callback {
    private final List<Integer> epochs = new ArrayList<>();
    private final Map<String, List<Double>> history = new LinkedHashMap<>();
    private final Map<String, List<Integer>> epochsByKey = new LinkedHashMap<>();

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        // a History serves one fit call; as in Keras, fitting again returns a new one
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        epochs.add(epoch);
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            history.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
            epochsByKey.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(epoch);
        }
    }

    /** Keras' {@code history.history}: name to per-epoch values (read-only). */
    public Map<String, List<Double>> history() {
        Map<String, List<Double>> view = new LinkedHashMap<>();
        history.forEach((k, v) -> view.put(k, Collections.unmodifiableList(v)));
        return Collections.unmodifiableMap(view);
    }

    /** The values of one entry, e.g. {@code get("val_loss")}; empty if never logged. */
    public List<Double> get(String key) {
        return Collections.unmodifiableList(history.getOrDefault(key, List.of()));
    }

    /** Keras' {@code history.epoch}: the epochs trained, from 0. */
    public List<Integer> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** The epochs (from 0) at which {@code key} was logged: every epoch for {@code loss}, validation epochs for {@code val_loss}. */
    public List<Integer> epochsOf(String key) {
        return Collections.unmodifiableList(epochsByKey.getOrDefault(key, List.of()));
    }

    private Map<String, Object> params = Map.of();

    /** Keeps the order {@code fit} gives (Keras': verbose, epochs, steps), for {@link #toJson()}. */
    @Override
    public void setParams(Map<String, Object> params) {
        super.setParams(params);
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** Keras' {@code history.params}: {@code verbose}, {@code epochs} and {@code steps} (per epoch). */
    @Override
    public Map<String, Object> params() {
        return params;
    }

    /** One row per epoch: {@code epoch} then each key; a key not logged in an epoch is empty. */
    public String toCsv() {
        StringBuilder out = new StringBuilder("epoch");
        for (String key : history.keySet()) {
            out.append(',').append(key);
        }
        out.append('\n');
        for (int epoch : epochs) {
            out.append(epoch);
            for (String key : history.keySet()) {
                out.append(',');
                int at = epochsByKey.get(key).indexOf(epoch);
                if (at >= 0) {
                    out.append(history.get(key).get(at));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** {@code {"epoch": [...], "history": {...}, "params": {...}}}; NaN and infinities as strings, as JSON has none. */
    public String toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("epoch", epochs);
        Map<String, List<Object>> values = new LinkedHashMap<>();
        history.forEach((k, v) -> values.put(k, v.stream().map(History::jsonNumber).toList()));
        out.put("history", values);
        out.put("params", params());
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("History.toJson: " + e.getOriginalMessage(), e);
        }
    }

    private static Object jsonNumber(Double v) {
        return v == null || v.isNaN() || v.isInfinite() ? String.valueOf(v) : v;
    }

    @Override
    public String toString() {
        return "History" + history;
    }
}
