package org.ltxfleet.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.ltxfleet.common.job.InputValidator;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.gateway.auth.ApiKeys;
import org.ltxfleet.gateway.auth.RateLimits;
import org.ltxfleet.gateway.health.KafkaHealth;
import org.ltxfleet.gateway.health.Loops;
import org.ltxfleet.gateway.ledger.BillingLedger;
import org.ltxfleet.gateway.projection.JobProjection;
import org.ltxfleet.gateway.projection.ProjectionConsumer;
import org.ltxfleet.gateway.status.OpenStreams;
import org.ltxfleet.gateway.storage.OutputLinks;
import org.ltxfleet.gateway.storage.StorageSettings;
import org.ltxfleet.gateway.submit.JobPlacement;
import org.ltxfleet.gateway.submit.JobPublisher;
import org.ltxfleet.gateway.webhook.SigningKeys;
import org.ltxfleet.gateway.webhook.WebhookSettings;

/** What the HTTP handlers share; one per gateway process, every part thread-safe. */
public record GatewayServices(GatewaySettings settings, ApiKeys keys, JobProjection projection,
                              ProjectionConsumer projectionConsumer, JobPublisher publisher, JobPlacement placement,
                              KafkaHealth kafkaHealth,
                              InputValidator validator, PrometheusMeterRegistry metrics, SigningKeys signingKeys,
                              WebhookSettings webhookSettings, BillingLedger ledger, RateLimits rateLimits,
                              Loops loops, OpenStreams streams, StorageSettings storage, ObjectStore store,
                              OutputLinks outputLinks) {

    /** Each key's jobs, newest first, from the projection and the store's history ({@code GET /v1/requests}). */
    public org.ltxfleet.gateway.history.RequestHistory history() {
        return new org.ltxfleet.gateway.history.RequestHistory(projection,
                new org.ltxfleet.gateway.history.StoredHistory(store), ledger::units);
    }

    /** The archive of jobs that left the projection's memory, in the gateway's store. */
    public org.ltxfleet.gateway.projection.JobArchive archive() {
        return new org.ltxfleet.gateway.projection.JobArchive(store);
    }
}
