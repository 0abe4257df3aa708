package dev.mitra.ilmcode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.elasticsearch.Build;
import org.elasticsearch.common.bytes.BytesReference;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.xcontent.NamedXContentRegistry;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;
import org.elasticsearch.xcontent.XContentParserConfiguration;
import org.elasticsearch.xcontent.json.JsonXContent;
import org.elasticsearch.xpack.core.ilm.DeleteAction;
import org.elasticsearch.xpack.core.ilm.IndexLifecycleOriginationDateParser;
import org.elasticsearch.xpack.core.ilm.LifecycleAction;
import org.elasticsearch.xpack.core.ilm.LifecyclePolicy;
import org.elasticsearch.xpack.core.ilm.LifecycleSettings;
import org.elasticsearch.xpack.core.ilm.LifecycleType;
import org.elasticsearch.xpack.core.ilm.Phase;
import org.elasticsearch.xpack.core.ilm.TimeseriesLifecycleType;

/**
 * Mitra's ILM retention through Elasticsearch's own ILM code, the x-pack-core classes ILM runs:
 * the policy body `mitra setup` PUTs, parsed and validated as a policy; the index settings it puts
 * on history indices, read through the settings ILM defines; and the origination date ILM takes
 * from each history index name (when it first initializes a policy on an index,
 * InitializePolicyContextStep parses the name with IndexLifecycleOriginationDateParser).
 *
 * Reads the request (JSON: policies [{name, body}], indexSettings, indices) from the file named by
 * the first argument; writes the answer (JSON) to stdout. Errors are answers, not exits.
 */
public final class IlmCode {
  private IlmCode() {}

  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Exception {
    Map<String, Object> request;
    try (XContentParser p = JsonXContent.jsonXContent.createParser(XContentParserConfiguration.EMPTY, Files.readString(Path.of(args[0])))) {
      request = p.map();
    }
    XContentBuilder out = JsonXContent.contentBuilder().startObject();
    out.field("version", Build.current().version());
    out.startArray("policies");
    for (Map<String, Object> policy : (List<Map<String, Object>>) request.get("policies")) policy(policy, out);
    out.endArray();
    settings(request, out);
    origination(request, out);
    System.out.println(BytesReference.bytes(out.endObject()).utf8ToString());
  }

  /** Only the delete action is registered: a policy naming any other action fails to parse, as Mitra writes none. */
  private static final NamedXContentRegistry REGISTRY = new NamedXContentRegistry(
    List.of(
      new NamedXContentRegistry.Entry(LifecycleType.class, new ParseField(TimeseriesLifecycleType.TYPE), p -> TimeseriesLifecycleType.INSTANCE),
      new NamedXContentRegistry.Entry(LifecycleAction.class, new ParseField(DeleteAction.NAME), DeleteAction::parse)
    )
  );

  /** One PUT _ilm/policy/<name> request ({name, body}), as ILM reads and validates it. */
  @SuppressWarnings("unchecked")
  private static void policy(Map<String, Object> request, XContentBuilder out) throws Exception {
    String name = (String) request.get("name");
    Map<String, Object> body = (Map<String, Object>) request.get("body");
    out.startObject();
    try {
      LifecyclePolicy.validatePolicyName(name);
      if (body.size() != 1 || !body.containsKey("policy")) throw new IllegalArgumentException("the request body must be {\"policy\": {...}}, not " + body.keySet());
      String json = BytesReference.bytes(JsonXContent.contentBuilder().map((Map<String, Object>) body.get("policy"))).utf8ToString();
      try (XContentParser p = JsonXContent.jsonXContent.createParser(XContentParserConfiguration.EMPTY.withRegistry(REGISTRY), json)) {
        LifecyclePolicy policy = LifecyclePolicy.parse(p, name);
        policy.validate();
        out.field("name", policy.getName());
        out.field("type", policy.getType().getWriteableName());
        out.field("meta", policy.getMetadata());
        out.startObject("phases");
        for (Phase phase : policy.getPhases().values()) {
          out.startObject(phase.getName());
          out.field("min_age_millis", phase.getMinimumAge().millis());
          out.field("actions", phase.getActions().keySet());
          out.endObject();
        }
        out.endObject();
      }
    } catch (Exception e) {
      out.field("error", messages(e));
    }
    out.endObject();
  }

  /** The message of an exception and of each cause: the parser's own says only which field failed. */
  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) all.append(" / ").append(cause.getMessage());
    return all.toString();
  }

  @SuppressWarnings("unchecked")
  private static void settings(Map<String, Object> request, XContentBuilder out) throws Exception {
    Settings settings = Settings.builder().loadFromMap((Map<String, Object>) request.get("indexSettings")).build();
    out.startObject("settings");
    out.field("keys", new TreeSet<>(settings.keySet()));
    out.field("lifecycle_name_key", LifecycleSettings.LIFECYCLE_NAME_SETTING.getKey());
    out.field("lifecycle_name", LifecycleSettings.LIFECYCLE_NAME_SETTING.get(settings));
    out.field("parse_origination_date_key", IndexSettings.LIFECYCLE_PARSE_ORIGINATION_DATE_SETTING.getKey());
    out.field("parse_origination_date", IndexSettings.LIFECYCLE_PARSE_ORIGINATION_DATE_SETTING.get(settings));
    out.field("should_parse_index_name", IndexLifecycleOriginationDateParser.shouldParseIndexName(settings));
    out.endObject();
  }

  @SuppressWarnings("unchecked")
  private static void origination(Map<String, Object> request, XContentBuilder out) throws Exception {
    out.startObject("origination");
    for (String index : (List<String>) request.get("indices")) {
      out.startObject(index);
      try {
        out.field("millis", IndexLifecycleOriginationDateParser.parseIndexNameAndExtractDate(index));
      } catch (Exception e) {
        out.field("error", e.getMessage());
      }
      out.endObject();
    }
    out.endObject();
  }
}
