package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.testkit.TestRouteResult;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import java.util.UUID;
import org.junit.Before;
import org.junit.Test;

/**
 * Profiles and identities through the real routes and entities: a merge patch of the profile with {@code ETag} /
 * {@code If-Match} (412 when stale), unlinking an identity, identities in standard forms (E.164 phones with their
 * {@code +}, e-mail addresses case-insensitive), and a read of a shopper persisting nothing.
 */
public class ProfilesApiTest extends ShopperRouteTest {
    private static final akka.http.javadsl.model.ContentType MERGE_PATCH = ContentTypes.create(
            MediaTypes.applicationWithFixedCharset("merge-patch+json", akka.http.javadsl.model.HttpCharsets.UTF_8));

    private String tag;

    @Before
    public void setUp() {
        tag = UUID.randomUUID().toString().substring(0, 8);
    }

    private TestRouteResult patch(String shopper, String json, String ifMatch) {
        var request = HttpRequest.PATCH("/v1/shoppers/" + shopper + "/profile")
                .withEntity(MERGE_PATCH, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (ifMatch != null) request = request.addHeader(RawHeader.create("If-Match", ifMatch));
        return send(request, "ingest-key");
    }

    @Test
    public void aMergePatchChangesOneConsentFlagAndIsConditionalOnTheETag() {
        var shopper = "p-" + tag;
        put(
                        "/v1/shoppers/" + shopper + "/profile",
                        "{\"region\":\"north\",\"consent\":{\"email\":true,\"sms\":true},\"attributes\":{\"tier\":\"gold\"}}",
                        "ingest-key")
                .assertStatusCode(200);
        var read = get("/v1/shoppers/" + shopper, "ingest-key");
        var tagValue = read.response().getHeader("ETag").orElseThrow().value();
        assertThat(tagValue).startsWith("\"").endsWith("\"");

        var patched = patch(shopper, "{\"consent\":{\"sms\":false},\"attributes\":{\"tier\":null}}", tagValue);
        patched.assertStatusCode(200);
        var profile = body(patched).path("profile");
        assertThat(profile.path("region").asText()).isEqualTo("north");
        assertThat(profile.path("consent").path("email").asBoolean()).isTrue();
        assertThat(profile.path("consent").path("sms").asBoolean()).isFalse();
        assertThat(profile.path("attributes").has("tier")).isFalse();
        var newTag = patched.response().getHeader("ETag").orElseThrow().value();
        assertThat(newTag).isNotEqualTo(tagValue);

        // the old tag is stale now: 412, nothing changed
        var stale = patch(shopper, "{\"region\":\"south\"}", tagValue);
        stale.assertStatusCode(412);
        assertThat(body(get("/v1/shoppers/" + shopper, "ingest-key"))
                        .path("profile")
                        .path("region")
                        .asText())
                .isEqualTo("north");
        // a PUT is conditional the same way
        var put = send(
                HttpRequest.PUT("/v1/shoppers/" + shopper + "/profile")
                        .withEntity(ContentTypes.APPLICATION_JSON, "{\"region\":\"west\"}")
                        .addHeader(RawHeader.create("If-Match", tagValue)),
                "ingest-key");
        put.assertStatusCode(412);
        // without If-Match a patch applies to the profile as it is
        patch(shopper, "{\"region\":\"south\"}", null).assertStatusCode(200);
        // the shopper refuses personalization, a field like any other: kept by later patches, shown, in the ETag
        var refused = patch(shopper, "{\"personalization\":false}", null);
        refused.assertStatusCode(200);
        assertThat(body(refused).path("profile").path("personalization").asBoolean(true))
                .isFalse();
        var refusedTag = refused.response().getHeader("ETag").orElseThrow().value();
        var kept = patch(shopper, "{\"region\":\"east\"}", refusedTag);
        kept.assertStatusCode(200);
        assertThat(body(kept).path("profile").path("personalization").asBoolean(true))
                .isFalse();
        assertThat(body(patch(shopper, "{\"personalization\":\"no\"}", null))
                        .path("status")
                        .asInt())
                .isEqualTo(400);
        // an unknown field is named
        var unknown = patch(shopper, "{\"regoin\":\"south\"}", null);
        unknown.assertStatusCode(400);
        assertThat(body(unknown).path("errors").findValuesAsText("field")).contains("regoin");
    }

    @Test
    public void identitiesAreValidatedPerKindAndAnUnlinkedOneStandsAlone() {
        var person = "u-" + tag;
        knownShopper(person);
        var phone = "phone:+49151" + Math.abs(tag.hashCode() % 10_000_000);
        var linked = post("/v1/shoppers/" + person + "/links", "{\"identity\":\"" + phone + "\"}", "ingest-key");
        linked.assertStatusCode(200);
        assertThat(body(linked).path("links").toString()).contains(phone);

        var noPlus = post("/v1/shoppers/" + person + "/links", "{\"identity\":\"phone:4915112340001\"}", "ingest-key");
        noPlus.assertStatusCode(400);
        assertThat(body(noPlus).path("errors").get(0).path("message").asText()).contains("E.164");
        post("/v1/shoppers/" + person + "/links", "{\"identity\":\"email:not-an-address\"}", "ingest-key")
                .assertStatusCode(400);

        // e-mail identities are one shopper however they are capitalised
        var email = post(
                "/v1/shoppers/" + person + "/links",
                "{\"identity\":\"email:Ann." + tag + "@Shop.Example\"}",
                "ingest-key");
        email.assertStatusCode(200);
        assertThat(body(email).path("identity").asText()).isEqualTo("email:ann." + tag + "@shop.example");
        assertThat(body(get("/v1/shoppers/email:ANN." + tag + "@shop.example", "ingest-key"))
                        .path("shopperId")
                        .asText())
                .isEqualTo(person);

        var unlinked = send(HttpRequest.DELETE("/v1/shoppers/" + person + "/links/" + phone), "ingest-key");
        unlinked.assertStatusCode(200);
        assertThat(body(unlinked).path("links").toString()).doesNotContain(phone);
        // the phone is a shopper of its own again (nothing recorded under it yet) and can be linked elsewhere
        get("/v1/shoppers/" + phone, "ingest-key").assertStatusCode(404);
        post("/v1/shoppers/other-" + tag + "/links", "{\"identity\":\"" + phone + "\"}", "ingest-key")
                .assertStatusCode(200);
        send(HttpRequest.DELETE("/v1/shoppers/" + person + "/links/" + phone), "ingest-key")
                .assertStatusCode(404);
    }

    @Test
    public void readingAShopperPersistsNothing() {
        var shopper = "r-" + tag;
        knownShopper(shopper);
        var journal = PersistenceTestKit.create(fixture.typed());
        int before = journal.persistedInStorage("Shopper|" + shopper).size();
        get("/v1/shoppers/" + shopper, "ingest-key").assertStatusCode(200);
        get("/v1/shoppers/" + shopper + "/offers", "ingest-key").assertStatusCode(200);
        assertThat(journal.persistedInStorage("Shopper|" + shopper)).hasSize(before);
    }
}
