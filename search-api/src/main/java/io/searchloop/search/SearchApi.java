package io.searchloop.search;

import io.searchloop.observe.Readiness;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.search.events.EventPublisher;
import io.searchloop.search.guard.EngagementLedger;
import io.searchloop.search.guard.ImpressionTokens;
import io.searchloop.search.guard.RateLimiter;
import io.searchloop.search.http.Metrics;
import io.searchloop.search.model.ModelSwitcher;
import io.searchloop.search.query.Searcher;
import javax.sql.DataSource;

/** What the routes need, wired once by the service (and by tests). */
public record SearchApi(
        SearchConfig config,
        DataSource db,
        ModelSwitcher models,
        Searcher searcher,
        EventPublisher publisher,
        Topics topics,
        Metrics metrics,
        ImpressionTokens tokens,
        EngagementLedger ledger,
        RateLimiter searchLimiter,
        RateLimiter interactionLimiter,
        Readiness readiness) {}
