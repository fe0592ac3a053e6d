"""Signs people in to a local hub through the Hubfed portal's OpenID Connect provider.

Debian's JupyterHub 3.0 ships without OAuthenticator, so this is the part of an OIDC client a
course hub needs: the authorization code flow with PKCE (S256) against the portal, the id token
checked against the portal's published keys, and access decided by the course roles the portal
puts in the `groups` claim (`<course slug>:student|ta|instructor`). The portal's tokens are kept
in the user's (encrypted) auth state, so `refresh_user` can ask for the roles again every few
minutes: someone no longer enrolled is sent to sign in again, someone no longer staff loses admin.

It only imports what Debian's `jupyterhub` package brings: tornado, traitlets, and PyJWT with
cryptography (python3-jwt and python3-cryptography, dependencies of python3-oauthlib).
"""

import base64
import hashlib
import hmac
import html
import json
import secrets
import time
from urllib.parse import quote, urlencode

import jwt
from jupyterhub.auth import Authenticator
from jupyterhub.handlers import BaseHandler
from jupyterhub.handlers.login import LogoutHandler
from jupyterhub.utils import get_browser_protocol, url_path_join
from tornado import web
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from traitlets import Integer, List, Unicode, default

COURSE_ROLES = ("student", "ta", "instructor")
ADMIN_ROLES = ("instructor", "ta")
STATE_COOKIE = "hubfed-oidc-state"
FLOW_KEYS = ("state", "nonce", "verifier", "next")
REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint")
NOT_COMPLETED = "Sign-in not completed"
# The contract with the portal: RS256 only, so a token can never pick a weaker algorithm.
ID_TOKEN_ALGORITHMS = ["RS256"]


def base64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def pkce_challenge(verifier):
    return base64url(hashlib.sha256(verifier.encode("ascii")).digest())


class PortalUnavailable(Exception):
    """The portal did not answer (down, timing out, 5xx): nothing is known either way."""


class PortalRefused(Exception):
    """The portal answered no (401, 400): the tokens are no longer good."""


class SignInRefused(Exception):
    """A sign-in that ends on a page of ours rather than JupyterHub's generic error."""

    def __init__(self, status, reason, message_html):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.message_html = message_html


class PortalLoginHandler(BaseHandler):
    """Starts the code flow: state, nonce and PKCE verifier go into a signed short-lived cookie."""

    async def get(self):
        authenticator = self.authenticator
        try:
            metadata = await authenticator.discover()
        except SignInRefused as refused:
            await render_refusal(self, refused)
            return
        state = secrets.token_urlsafe(32)
        nonce = secrets.token_urlsafe(32)
        # 64 random bytes give an 86-character verifier, inside RFC 7636's 43–128.
        verifier = secrets.token_urlsafe(64)
        # get_next_url keeps only paths on this hub; computed now, while `next` is in the request.
        next_url = self.get_next_url() if self.get_argument("next", "") else ""
        flow = {"state": state, "nonce": nonce, "verifier": verifier, "next": next_url}
        self.set_secure_cookie(
            STATE_COOKIE,
            json.dumps(flow),
            expires_days=authenticator.state_max_age_seconds / 86400,
            path=self.hub.base_url,
            httponly=True,
            secure=get_browser_protocol(self.request) == "https",
            # Lax: the portal's redirect back is a top-level GET, which Lax cookies accompany.
            samesite="Lax",
        )
        query = urlencode(
            {
                "response_type": "code",
                "client_id": authenticator.client_id,
                "redirect_uri": authenticator.callback_url,
                "scope": authenticator.scope,
                "state": state,
                "nonce": nonce,
                "code_challenge": pkce_challenge(verifier),
                "code_challenge_method": "S256",
            }
        )
        self.redirect(f"{metadata['authorization_endpoint']}?{query}")


class PortalCallbackHandler(BaseHandler):
    """Finishes the code flow and signs the user in, or says plainly why not."""

    async def get(self):
        try:
            user = await self.sign_in()
        except SignInRefused as refused:
            await render_refusal(self, refused)
            return
        self.redirect(user["next"], permanent=False)

    async def sign_in(self):
        authenticator = self.authenticator
        flow = self.read_flow_cookie()
        portal_link = authenticator.portal_link_html()
        # Checked first: only the browser that started the flow gets any further answer.
        state = self.get_argument("state", "")
        if flow is None or not hmac.compare_digest(state.encode(), flow["state"].encode()):
            self.log.warning("Refusing an OAuth callback whose state does not match this browser")
            raise SignInRefused(
                400,
                "Sign-in expired",
                "This sign-in was not started here or took too long. "
                f"Start again from {portal_link}.",
            )
        error = self.get_argument("error", "")
        if error:
            self.log.warning("The portal ended the sign-in with %r", error)
            raise SignInRefused(
                400,
                NOT_COMPLETED,
                f"The portal did not complete the sign-in ({html.escape(error)}). "
                f"Start again from {portal_link}.",
            )
        code = self.get_argument("code", "")
        if not code:
            raise SignInRefused(400, NOT_COMPLETED, "The portal sent no code.")

        claims, tokens = await authenticator.exchange_code(code, flow["verifier"], flow["nonce"])
        roles = authenticator.course_roles(claims)
        if not roles:
            self.log.info(
                "Refusing %r: not enrolled in %s",
                claims.get("preferred_username"),
                authenticator.course_slug,
            )
            raise SignInRefused(
                403,
                "Not enrolled",
                f"You are not enrolled in {html.escape(authenticator.course_name)}. "
                f"Ask your instructor for a join link, or go back to {portal_link}.",
            )
        user = await self.login_user({"claims": claims, "tokens": tokens})
        if user is None:
            # Enrolled but rejected by the hub's own rules (e.g. a user name it cannot use).
            raise SignInRefused(
                403,
                "Sign-in refused",
                f"This hub cannot sign you in with your portal account. Go back to {portal_link}.",
            )
        if flow["next"]:
            return {"next": flow["next"]}
        # The callback's own query (code, state) must not travel on, so no get_next_url here.
        landing = "spawn" if self.redirect_to_server else "home"
        return {"next": url_path_join(self.hub.base_url, landing)}

    def read_flow_cookie(self):
        authenticator = self.authenticator
        raw = self.get_secure_cookie(
            STATE_COOKIE, max_age_days=authenticator.state_max_age_seconds / 86400
        )
        # One use only: a replayed callback finds no cookie.
        self.clear_cookie(STATE_COOKIE, path=self.hub.base_url)
        if raw is None:
            return None
        try:
            flow = json.loads(raw)
        except ValueError:
            return None
        if not isinstance(flow, dict):
            return None
        if not all(isinstance(flow.get(key), str) for key in FLOW_KEYS):
            return None
        return flow


class PortalLogoutHandler(LogoutHandler):
    """Ends the hub session and returns to the portal instead of JupyterHub's logout page."""

    async def render_logout_page(self):
        self.redirect(self.authenticator.portal_url, permanent=False)


async def render_refusal(handler, refused):
    handler.set_status(refused.status)
    page = await handler.render_template(
        "error.html",
        status_code=refused.status,
        status_message=refused.reason,
        message="",
        message_html=refused.message_html,
        extra_error_html="",
    )
    handler.finish(page)


class PortalOidcAuthenticator(Authenticator):
    """Admits the portal's users enrolled in this hub's course; instructors and TAs as admins."""

    issuer_url = Unicode(config=True, help="The portal's OIDC issuer, e.g. https://portal/oidc")
    client_id = Unicode(config=True, help="This hub's client id at the portal")
    client_secret = Unicode(config=True, help="This hub's client secret (client_secret_basic)")
    callback_url = Unicode(
        config=True, help="This hub's exact redirect URI: <public url>/hub/oauth_callback"
    )
    course_slug = Unicode(config=True, help="The course whose roles admit users")
    course_name = Unicode(config=True, help="The course as people know it, for the refusal page")
    portal_url = Unicode(config=True, help="Where people go back to, and land after logout")
    scope = Unicode("openid profile email groups", config=True)
    state_max_age_seconds = Integer(600, config=True, help="How long a started sign-in stays valid")
    service_users = List(
        Unicode(),
        config=True,
        help="Users the hub's own services create (the health check's), unknown to the portal",
    )
    http_timeout_seconds = Integer(10, config=True)
    metadata_max_age_seconds = Integer(3600, config=True)
    clock_skew_seconds = Integer(60, config=True)

    @default("auto_login")
    def _auto_login_default(self):
        return True

    @default("manage_groups")
    def _manage_groups_default(self):
        return True

    @default("login_service")
    def _login_service_default(self):
        return "the Hubfed portal"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._metadata = None
        self._metadata_fetched_at = 0.0
        self._signing_keys = {}
        self._keys_fetched_at = None

    def login_url(self, base_url):
        return url_path_join(base_url, "oauth_login")

    def get_handlers(self, app):
        # Ahead of JupyterHub's own handlers, so this /logout is the one that answers.
        return [
            (r"/oauth_login", PortalLoginHandler),
            (r"/oauth_callback", PortalCallbackHandler),
            (r"/logout", PortalLogoutHandler),
        ]

    def portal_link_html(self):
        url = html.escape(self.portal_url, quote=True)
        return f'<a href="{url}">{html.escape(self.portal_url)}</a>'

    # --- the portal over HTTP -------------------------------------------------------------

    async def _fetch_json(self, what, request):
        try:
            response = await AsyncHTTPClient().fetch(request)
        except HTTPClientError as failure:
            detail = ""
            if failure.response is not None and failure.response.body:
                try:
                    detail = str(json.loads(failure.response.body).get("error", ""))
                except (ValueError, AttributeError):
                    detail = ""
            self.log.warning("Portal: %s to the %s request (%s)", failure.code, what, detail)
            reason = str(failure.code)
            raise SignInRefused(
                403 if failure.code in (400, 401) else 502,
                NOT_COMPLETED,
                f"The portal did not accept this sign-in ({html.escape(detail or reason)})."
                f" Start again from {self.portal_link_html()}.",
            ) from failure
        except OSError as failure:
            self.log.warning("The portal could not be reached (%s request): %s", what, failure)
            raise SignInRefused(
                502,
                "Portal unreachable",
                "The portal could not be reached. "
                f"Try again in a moment from {self.portal_link_html()}.",
            ) from failure
        try:
            return json.loads(response.body)
        except ValueError as failure:
            raise SignInRefused(
                502, "Portal answer unreadable", "The portal's answer was not JSON."
            ) from failure

    def _get(self, url, headers=None):
        return HTTPRequest(
            url,
            headers={"Accept": "application/json", **(headers or {})},
            request_timeout=self.http_timeout_seconds,
            follow_redirects=False,
        )

    async def discover(self):
        """The provider's metadata, fetched when first needed (the portal may start later)."""
        age = time.monotonic() - self._metadata_fetched_at
        if self._metadata is not None and age < self.metadata_max_age_seconds:
            return self._metadata
        issuer = self.issuer_url.rstrip("/")
        metadata = await self._fetch_json(
            "discovery", self._get(f"{issuer}/.well-known/openid-configuration")
        )
        # OIDC Discovery §4.3: the document must name exactly the issuer it was fetched from.
        if metadata.get("issuer") != self.issuer_url:
            self.log.error(
                "Discovery names issuer %r, configured %r", metadata.get("issuer"), self.issuer_url
            )
            raise SignInRefused(502, "Portal misconfigured", "The portal's issuer does not match.")
        for endpoint in REQUIRED_ENDPOINTS:
            if not isinstance(metadata.get(endpoint), str):
                raise SignInRefused(502, "Portal misconfigured", f"The portal names no {endpoint}.")
        self._metadata = metadata
        self._metadata_fetched_at = time.monotonic()
        return metadata

    async def _signing_key(self, key_id):
        is_stale = self._keys_fetched_at is None or time.monotonic() - self._keys_fetched_at > 30
        if key_id not in self._signing_keys and is_stale:
            # Unknown key: the portal may have rotated; look again, at most twice a minute.
            metadata = await self.discover()
            document = await self._fetch_json("JWKS", self._get(metadata["jwks_uri"]))
            keys = {}
            for entry in document.get("keys", []):
                if entry.get("kty") != "RSA" or entry.get("use", "sig") != "sig":
                    continue
                try:
                    keys[entry.get("kid")] = jwt.PyJWK(entry, algorithm="RS256").key
                except jwt.PyJWKError:
                    self.log.warning("Skipping unusable JWKS key %r", entry.get("kid"))
            self._signing_keys = keys
            self._keys_fetched_at = time.monotonic()
        key = self._signing_keys.get(key_id)
        if key is None:
            raise SignInRefused(
                403, NOT_COMPLETED, "The portal's id token is signed with an unknown key."
            )
        return key

    async def exchange_code(self, code, verifier, nonce):
        """Code → tokens → verified id token → userinfo; returns the claims and the tokens kept."""
        metadata = await self.discover()
        tokens = await self._fetch_json(
            "token",
            HTTPRequest(
                metadata["token_endpoint"],
                method="POST",
                headers={
                    "Accept": "application/json",
                    "Authorization": self._basic_credentials(),
                    "Content-Type": "application/x-www-form-urlencoded",
                },
                body=urlencode(
                    {
                        "grant_type": "authorization_code",
                        "code": code,
                        "redirect_uri": self.callback_url,
                        "code_verifier": verifier,
                    }
                ),
                request_timeout=self.http_timeout_seconds,
                follow_redirects=False,
            ),
        )
        id_token = tokens.get("id_token")
        access_token = tokens.get("access_token")
        if not isinstance(id_token, str) or not isinstance(access_token, str):
            raise SignInRefused(502, NOT_COMPLETED, "The portal sent no id token.")
        if str(tokens.get("token_type", "")).lower() != "bearer":
            raise SignInRefused(502, NOT_COMPLETED, "The portal sent an unusable token.")
        identity = await self.verify_id_token(id_token, nonce)
        # The id token proves who signed in; the userinfo answer, fetched over the back channel
        # with the access token just issued, carries the current enrollment. OIDC Core §5.3.2: its
        # subject must be the id token's, or the answer belongs to someone else.
        userinfo = await self._fetch_json(
            "userinfo",
            self._get(metadata["userinfo_endpoint"], {"Authorization": f"Bearer {access_token}"}),
        )
        if userinfo.get("sub") != identity["sub"]:
            raise SignInRefused(403, NOT_COMPLETED, "The portal's answers disagree.")
        kept = {
            "sub": identity["sub"],
            "access_token": access_token,
            "refresh_token": tokens.get("refresh_token")
            if isinstance(tokens.get("refresh_token"), str)
            else None,
        }
        return {**identity, **userinfo}, kept

    async def verify_id_token(self, id_token, nonce):
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.InvalidTokenError as failure:
            raise SignInRefused(403, NOT_COMPLETED, "The id token is malformed.") from failure
        if header.get("alg") not in ID_TOKEN_ALGORITHMS:
            raise SignInRefused(403, NOT_COMPLETED, "The id token's algorithm is not allowed.")
        key = await self._signing_key(header.get("kid"))
        try:
            claims = jwt.decode(
                id_token,
                key=key,
                algorithms=ID_TOKEN_ALGORITHMS,
                audience=self.client_id,
                issuer=self.issuer_url,
                leeway=self.clock_skew_seconds,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.InvalidTokenError as failure:
            self.log.warning("Refusing an id token: %s", failure)
            raise SignInRefused(403, NOT_COMPLETED, "The id token is not valid.") from failure
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.client_id:
            raise SignInRefused(403, NOT_COMPLETED, "The id token is for another client.")
        if not hmac.compare_digest(str(claims.get("nonce", "")).encode(), nonce.encode()):
            raise SignInRefused(403, NOT_COMPLETED, "The id token is from another sign-in.")
        return claims

    def _basic_credentials(self):
        # client_secret_basic: both parts form-encoded before base64 (RFC 6749 §2.3.1).
        credentials = f"{quote(self.client_id, safe='')}:{quote(self.client_secret, safe='')}"
        return "Basic " + base64.b64encode(credentials.encode()).decode()

    async def _ask_portal(self, request):
        """JSON from the portal; PortalRefused for a 4xx, PortalUnavailable for anything else."""
        try:
            response = await AsyncHTTPClient().fetch(request)
        except HTTPClientError as failure:
            if 400 <= failure.code < 500:
                raise PortalRefused(failure.code) from failure
            raise PortalUnavailable(failure.code) from failure
        except OSError as failure:
            raise PortalUnavailable(str(failure)) from failure
        try:
            return json.loads(response.body)
        except ValueError as failure:
            raise PortalUnavailable("not JSON") from failure

    async def _userinfo(self, metadata, access_token):
        return await self._ask_portal(
            self._get(metadata["userinfo_endpoint"], {"Authorization": f"Bearer {access_token}"})
        )

    async def _refreshed_tokens(self, metadata, kept):
        """A new access token for the kept refresh token (which the portal does not rotate)."""
        if not kept.get("refresh_token"):
            raise PortalRefused("no refresh token")
        tokens = await self._ask_portal(
            HTTPRequest(
                metadata["token_endpoint"],
                method="POST",
                headers={
                    "Accept": "application/json",
                    "Authorization": self._basic_credentials(),
                    "Content-Type": "application/x-www-form-urlencoded",
                },
                body=urlencode(
                    {"grant_type": "refresh_token", "refresh_token": kept["refresh_token"]}
                ),
                request_timeout=self.http_timeout_seconds,
                follow_redirects=False,
            )
        )
        access_token = tokens.get("access_token")
        if not isinstance(access_token, str):
            raise PortalRefused("no access token")
        refresh_token = tokens.get("refresh_token")
        if not isinstance(refresh_token, str):
            refresh_token = kept["refresh_token"]
        return {**kept, "access_token": access_token, "refresh_token": refresh_token}

    async def current_claims(self, kept):
        """The person's claims now, and the tokens to keep: userinfo, refreshing once if needed."""
        try:
            metadata = await self.discover()
        except SignInRefused as failure:
            raise PortalUnavailable(failure.reason) from failure
        try:
            claims = await self._userinfo(metadata, kept["access_token"])
        except PortalRefused:
            # Expired or revoked: a refresh token revoked with the enrollment fails here too.
            kept = await self._refreshed_tokens(metadata, kept)
            claims = await self._userinfo(metadata, kept["access_token"])
        if claims.get("sub") != kept.get("sub"):
            raise PortalRefused("the portal answered about someone else")
        return claims, kept

    async def refresh_user(self, user, handler=None):
        """Re-reads the person's course roles from the portal (auth_refresh_age, refresh_pre_spawn).

        False means "sign in again": the portal no longer vouches for them (tokens revoked with
        their enrollment, or expired beyond refresh) or they hold no role in this course any
        more; the sign-in that follows refuses them with the hub's page. Someone who is no longer
        staff keeps their account without admin. A portal that cannot be reached changes nothing:
        an outage must not throw students out of their work, and the portal's own removal of a
        person reaches the hub directly.
        """
        if user.name in self.service_users:
            # Never signed in at the portal, so it has no roles there to re-read; its service's
            # role reaches this one user only.
            return True
        kept = await user.get_auth_state()
        if not isinstance(kept, dict) or not isinstance(kept.get("access_token"), str):
            return False
        try:
            claims, kept = await self.current_claims(kept)
        except PortalUnavailable as failure:
            self.log.warning("Could not refresh %s's roles (%s); keeping them", user.name, failure)
            return True
        except PortalRefused as refused:
            self.log.info("The portal no longer vouches for %s (%s)", user.name, refused)
            return False
        roles = self.course_roles(claims)
        if not roles:
            self.log.info("%s holds no role in %s any more", user.name, self.course_slug)
            return False
        return {
            "name": user.name,
            "admin": any(role in ADMIN_ROLES for role in roles),
            "groups": [f"{self.course_slug}:{role}" for role in roles],
            "auth_state": kept,
        }

    # --- JupyterHub's side ----------------------------------------------------------------

    def course_roles(self, claims):
        groups = claims.get("groups")
        if not isinstance(groups, list):
            return []
        prefix = f"{self.course_slug}:"
        return sorted(
            {
                group[len(prefix) :]
                for group in groups
                if isinstance(group, str)
                and group.startswith(prefix)
                and group[len(prefix) :] in COURSE_ROLES
            }
        )

    async def authenticate(self, handler, data):
        claims = (data or {}).get("claims")
        if not isinstance(claims, dict):
            # Only the callback handler signs anyone in; the login form is never offered.
            return None
        username = claims.get("preferred_username")
        roles = self.course_roles(claims)
        if not isinstance(username, str) or not roles:
            return None
        tokens = (data or {}).get("tokens")
        return {
            "name": username,
            # Set on every sign-in and refresh, so a TA who is no longer one loses admin.
            "admin": any(role in ADMIN_ROLES for role in roles),
            "groups": [f"{self.course_slug}:{role}" for role in roles],
            # Kept encrypted (enable_auth_state) for refresh_user; never shown to the user.
            "auth_state": tokens if isinstance(tokens, dict) else None,
        }

    def check_allowed(self, username, authentication=None):
        # The enrollment is the allow list: only course groups from authenticate() get through.
        return bool(authentication and authentication.get("groups"))
