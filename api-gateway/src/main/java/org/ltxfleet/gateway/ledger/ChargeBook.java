package org.ltxfleet.gateway.ledger;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.ltxfleet.common.kafka.BillingRecord;
import org.ltxfleet.gateway.projection.JobPhase;

/**
 * The ledger's memory: charges whose job is still in the gateway's projection one by one, and the
 * rest as totals per API key and UTC day. A charge is <em>settled</em> when its job leaves the
 * projection: billed into its day's total if the job completed first, dropped otherwise; its
 * request id is remembered one retention longer, so a charge read again (a redelivery, a replay
 * from a snapshot copied past its positions) is not counted twice. Memory so follows the recent
 * jobs plus one small total per key and day. Synchronized: the ledger's reader, the projection's
 * sweeper and HTTP threads use it.
 */
final class ChargeBook {

    /** What a snapshot keeps of the book. */
    record Saved(List<BillingRecord> charges, List<BillingLedger.DayTotal> totals, Map<String, Instant> settled) {
    }

    private final Duration remember;
    private final Map<String, BillingRecord> open = new HashMap<>();
    private final Map<String, Map<LocalDate, BillingLedger.DayTotal>> totals = new HashMap<>();
    /** Settled request ids by when, oldest first. */
    private final LinkedHashMap<String, Instant> settled = new LinkedHashMap<>();

    /** A book that remembers settled request ids for {@code remember}. */
    ChargeBook(Duration remember) {
        this.remember = remember;
    }

    /** Records a charge; false when its request id was charged already (open or settled). */
    synchronized boolean add(BillingRecord charge) {
        if (open.containsKey(charge.requestId()) || settled.containsKey(charge.requestId())) {
            return false;
        }
        open.put(charge.requestId(), charge);
        return true;
    }

    /** The charge of a job still in the projection, or null (none read, or settled). */
    synchronized BillingRecord open(String requestId) {
        return open.get(requestId);
    }

    /** Settles the charge of a job that left the projection with {@code outcome} as its first end. */
    synchronized void settle(String requestId, JobPhase outcome, Instant now) {
        BillingRecord charge = open.remove(requestId);
        if (charge == null) {
            return;
        }
        if (outcome == JobPhase.COMPLETED) {
            LocalDate day = day(charge.time());
            totals.computeIfAbsent(charge.keyId(), k -> new TreeMap<>()).merge(day,
                    new BillingLedger.DayTotal(charge.keyId(), day, 1, charge.units(), charge.amountUsd()),
                    (a, b) -> a.plus(1, charge.units(), charge.amountUsd()));
        }
        settled.put(requestId, now);
        forgetSettledBefore(now.minus(remember));
    }

    private void forgetSettledBefore(Instant before) {
        var oldest = settled.entrySet().iterator();
        while (oldest.hasNext()) {
            if (!oldest.next().getValue().isBefore(before)) {
                return;
            }
            oldest.remove();
        }
    }

    /**
     * The key's billed usage per UTC day in [from, to): open charges by their time (those that
     * {@code billable} accepts), settled ones by their day's total, counted whole for every day
     * that overlaps [from, to).
     */
    synchronized List<BillingLedger.DayUsage> usage(String keyId, Instant from, Instant to,
                                                    Predicate<BillingRecord> billable) {
        var days = new TreeMap<LocalDate, BillingLedger.DayUsage>();
        for (BillingRecord charge : open.values()) {
            if (keyId.equals(charge.keyId()) && !charge.time().isBefore(from) && charge.time().isBefore(to)
                    && billable.test(charge)) {
                add(days, day(charge.time()), 1, charge.units(), charge.amountUsd());
            }
        }
        LocalDate firstDay = day(from);
        for (BillingLedger.DayTotal total : totals.getOrDefault(keyId, Map.of()).values()) {
            if (!total.day().isBefore(firstDay) && total.day().atStartOfDay(ZoneOffset.UTC).toInstant().isBefore(to)) {
                add(days, total.day(), total.jobs(), total.units(), total.amountUsd());
            }
        }
        return List.copyOf(days.values());
    }

    private static void add(Map<LocalDate, BillingLedger.DayUsage> days, LocalDate day, long jobs, long units,
                            BigDecimal amount) {
        days.merge(day, new BillingLedger.DayUsage(day, jobs, units, amount),
                (a, b) -> new BillingLedger.DayUsage(day, a.jobs() + jobs, a.units() + units, a.amountUsd().add(amount)));
    }

    /** Units billed, every key and day: settled totals and the open charges {@code billable} accepts. */
    synchronized long billedUnits(Predicate<BillingRecord> billable) {
        long units = open.values().stream().filter(billable).mapToLong(BillingRecord::units).sum();
        for (var byDay : totals.values()) {
            units += byDay.values().stream().mapToLong(BillingLedger.DayTotal::units).sum();
        }
        return units;
    }

    /** Charges still open, for the metrics and tests. */
    synchronized int openCharges() {
        return open.size();
    }

    synchronized Saved save() {
        var allTotals = new ArrayList<BillingLedger.DayTotal>();
        totals.values().forEach(byDay -> allTotals.addAll(byDay.values()));
        return new Saved(List.copyOf(open.values()), allTotals, new LinkedHashMap<>(settled));
    }

    /** Fills an empty book from a snapshot (null parts: a snapshot from before the totals). */
    synchronized void restore(List<BillingRecord> charges, List<BillingLedger.DayTotal> savedTotals, Map<String, Instant> savedSettled) {
        if (savedSettled != null) {
            savedSettled.entrySet().stream().sorted(Map.Entry.comparingByValue())
                    .forEach(e -> settled.put(e.getKey(), e.getValue()));
        }
        if (savedTotals != null) {
            for (BillingLedger.DayTotal total : savedTotals) {
                totals.computeIfAbsent(total.keyId(), k -> new TreeMap<>()).put(total.day(), total);
            }
        }
        if (charges != null) {
            charges.forEach(this::add);
        }
    }

    private static LocalDate day(Instant time) {
        return time.atOffset(ZoneOffset.UTC).toLocalDate();
    }
}
