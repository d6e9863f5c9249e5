package org.ltxfleet.gateway.ledger;

import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.ltxfleet.common.job.ValidationProblem;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.BillingRecord;
import org.ltxfleet.gateway.auth.AuthHandler;
import org.ltxfleet.gateway.http.Replies;

/**
 * {@code GET /v1/usage?from=&to=}: the caller's completed jobs, billed units and amount per UTC day
 * and in total. {@code from} (inclusive) and {@code to} (exclusive) are ISO dates or instants
 * (days the ledger keeps as totals count whole when the range overlaps them); JSON by default,
 * CSV with {@code Accept: text/csv} or {@code format=csv}.
 */
public final class UsageHandler {

    private final BillingLedger ledger;

    /** A handler over the ledger. */
    public UsageHandler(BillingLedger ledger) {
        this.ledger = ledger;
    }

    /** Handles one usage call. */
    public void handle(RoutingContext ctx) {
        var problems = new ArrayList<ValidationProblem>();
        Instant from = parse(ctx.queryParams().get("from"), Instant.EPOCH, "from", problems);
        Instant to = parse(ctx.queryParams().get("to"), Instant.now(), "to", problems);
        if (problems.isEmpty() && !from.isBefore(to)) {
            problems.add(new ValidationProblem(List.of("query", "to"), "to must be after from", "value_error"));
        }
        if (!problems.isEmpty()) {
            Replies.error(ctx, 422, problems);
            return;
        }
        List<BillingLedger.DayUsage> days = ledger.usage(AuthHandler.keyId(ctx), from, to);
        String accept = ctx.request().getHeader("Accept");
        if ("csv".equals(ctx.queryParams().get("format")) || (accept != null && accept.contains("text/csv"))) {
            ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8").end(csv(days));
        } else {
            Replies.json(ctx, 200, json(AuthHandler.keyId(ctx), from, to, days));
        }
    }

    private static Object json(String keyId, Instant from, Instant to, List<BillingLedger.DayUsage> days) {
        var body = Json.object();
        body.put("key_id", keyId).put("from", from.toString()).put("to", to.toString());
        body.put("jobs", days.stream().mapToLong(BillingLedger.DayUsage::jobs).sum());
        body.put("units", days.stream().mapToLong(BillingLedger.DayUsage::units).sum());
        body.put("amount_usd", total(days));
        body.put("unit_price_usd", BillingRecord.UNIT_PRICE_USD);
        body.put("currency", "USD");
        var array = body.putArray("by_day");
        days.forEach(d -> array.addObject().put("date", d.day().toString()).put("jobs", d.jobs())
                .put("units", d.units()).put("amount_usd", d.amountUsd()));
        return body;
    }

    private static String csv(List<BillingLedger.DayUsage> days) {
        var out = new StringBuilder("date,jobs,units,amount_usd\n");
        days.forEach(d -> out.append(d.day()).append(',').append(d.jobs()).append(',').append(d.units()).append(',')
                .append(d.amountUsd().toPlainString()).append('\n'));
        out.append("total,").append(days.stream().mapToLong(BillingLedger.DayUsage::jobs).sum()).append(',')
                .append(days.stream().mapToLong(BillingLedger.DayUsage::units).sum()).append(',')
                .append(total(days).toPlainString()).append('\n');
        return out.toString();
    }

    private static BigDecimal total(List<BillingLedger.DayUsage> days) {
        return days.stream().map(BillingLedger.DayUsage::amountUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static Instant parse(String value, Instant fallback, String field, List<ValidationProblem> problems) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            problems.add(new ValidationProblem(List.of("query", field),
                    "Input should be an ISO date (2026-11-24) or instant (2026-11-24T10:00:00Z)", "datetime_parsing"));
            return fallback;
        }
    }
}
