package dev.atelier.server.web.settings;

import dev.atelier.api.AtelierException;
import dev.atelier.server.auth.ApiToken;
import dev.atelier.server.auth.IssuedToken;
import dev.atelier.server.auth.RequestCredentials;
import dev.atelier.server.auth.TokenService;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Principal;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.web.Forms;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalView;
import io.javalin.http.Context;

import java.util.List;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * The caller's own API tokens ({@code /settings/tokens}), as {@code /api/v1/tokens} serves them:
 * list, create (the secret is in that one answer and never again: the list and every later page
 * hold only its name) and revoke. A token created by a request that came with a token inherits
 * that token's limits, as on the API. Open to anyone who may see the workspace (READ): a token is
 * the user's, not the workspace's. Without authentication the page says there are no tokens.
 */
public final class TokenSettings {
    private final PortalView view;
    private final Optional<TokenService> tokens;

    TokenSettings(PortalView view, Optional<TokenService> tokens) {
        this.view = requireNonNull(view, "view is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
    }

    List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/settings/tokens", Permission.READ, this::list),
                Route.workspace(POST, "/settings/tokens", Permission.READ, this::create),
                Route.workspace(POST, "/settings/tokens/revoke", Permission.READ, this::revoke));
    }

    private void list(Context ctx) {
        view.render(ctx, "settings/tokens.jte", page(ctx, Optional.empty()));
    }

    /**
     * Creates a token from the form ({@code name}, {@code expires_in_days} blank for none,
     * {@code restrict} to this workspace, {@code read_only}) and answers the token area with its
     * secret shown once; htmx swaps it in place, a plain post gets the whole page.
     */
    private void create(Context ctx) {
        TokenService service = tokens.orElseThrow(AuthOff::refusal);
        Principal principal = RequestContext.principal(ctx);
        IssuedToken issued = service.create(principal, RequestCredentials.token(ctx), Forms.required(ctx, "name"),
                expiryDays(ctx.formParam("expires_in_days")),
                checked(ctx, "restrict") ? Optional.of(RequestContext.workspace(ctx)) : Optional.empty(), checked(ctx, "read_only"));
        TokensView page = page(ctx, Optional.of(issued));
        view.render(ctx, ctx.header("HX-Request") != null ? "settings/tokenarea.jte" : "settings/tokens.jte", page);
    }

    private void revoke(Context ctx) {
        TokenService service = tokens.orElseThrow(AuthOff::refusal);
        service.revoke(RequestContext.principal(ctx), Forms.required(ctx, "id"));
        PortalView.redirect(ctx, PortalView.base(RequestContext.workspace(ctx)) + "/settings/tokens");
    }

    private TokensView page(Context ctx, Optional<IssuedToken> created) {
        SettingsTabs tabs = SettingsPages.tabs(view, ctx, "tokens", "Your API tokens");
        List<ApiToken> list = tokens.map(service -> service.list(RequestContext.principal(ctx).username())).orElse(List.of());
        return new TokensView(tabs.frame(), tabs, tokens.isPresent(), list, created);
    }

    /** Blank means the token does not expire; the service checks the range (1 to 3650). */
    static Optional<Integer> expiryDays(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            throw AtelierException.invalidParameter("Invalid value '" + value.strip() + "' for 'expires_in_days': a whole "
                    + "number of days from 1 to 3650, or blank for a token that does not expire");
        }
    }

    private static boolean checked(Context ctx, String field) {
        String value = ctx.formParam(field);
        return value != null && (value.equals("on") || value.equals("true"));
    }

    /**
     * What the tokens page shows.
     *
     * @param created the token just created, with its secret: only in the answer to the creation
     */
    public record TokensView(PageFrame frame, SettingsTabs tabs, boolean authEnabled, List<ApiToken> tokens,
                             Optional<IssuedToken> created) {
        public TokensView {
            requireNonNull(frame, "frame is null");
            requireNonNull(tabs, "tabs is null");
            tokens = List.copyOf(tokens);
            requireNonNull(created, "created is null");
        }

        public String authOff() {
            return AuthOff.EXPLANATION;
        }
    }
}
