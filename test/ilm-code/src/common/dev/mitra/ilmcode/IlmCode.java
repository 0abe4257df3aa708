package dev.mitra.ilmcode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.elasticsearch.Build;
import org.elasticsearch.common.bytes.BytesReference;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.IndexVersion;
import org.elasticsearch.xcontent.NamedXContentRegistry;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;
import org.elasticsearch.xcontent.XContentParserConfiguration;
import org.elasticsearch.xcontent.json.JsonXContent;
import org.elasticsearch.xpack.core.ilm.DeleteAction;
import org.elasticsearch.xpack.core.ilm.IndexLifecycleOriginationDateParser;
import org.elasticsearch.xpack.core.ilm.InitializePolicyContextStep;
import org.elasticsearch.xpack.core.ilm.LifecycleAction;
import org.elasticsearch.xpack.core.ilm.LifecyclePolicy;
import org.elasticsearch.xpack.core.ilm.LifecycleSettings;
import org.elasticsearch.xpack.core.ilm.LifecycleType;
import org.elasticsearch.xpack.core.ilm.Phase;
import org.elasticsearch.xpack.core.ilm.TimeseriesLifecycleType;

/**
 * Mitra's ILM retention through Elasticsearch's own ILM code, the x-pack-core classes ILM runs:
 * the policy body `mitra setup` PUTs, parsed and validated as a policy; the index settings it puts
 * on history indices, read through the settings ILM defines; the date in each history index name;
 * and the first step of the policy's own steps (InitializePolicyContextStep, what ILM runs when it
 * takes an index on) on each history index, created at `createdAt` with those settings; and every
 * step of the policy, run at `now` on each index of `runs` (PolicyRun). StepCalls.java, one per major
 * version, calls the steps (8: on the cluster state, 9: on a project).
 *
 * Reads the request (JSON: policies [{name, body}], indexSettings, indices, createdAt, and optionally
 * now and runs [{index, createdAt, now?}]) from the file
 * named by the first argument; writes the answer (JSON) to stdout. Errors are answers, not exits.
 */
public final class IlmCode {
  private IlmCode() {}

  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Exception {
    // Index settings log through Elasticsearch's logging, which a node sets up at start (9.x has no default).
    LogConfigurator.configureESLogging();
    Map<String, Object> request;
    try (XContentParser p = JsonXContent.jsonXContent.createParser(XContentParserConfiguration.EMPTY, Files.readString(Path.of(args[0])))) {
      request = p.map();
    }
    XContentBuilder out = JsonXContent.contentBuilder().startObject();
    out.field("version", Build.current().version());
    out.startArray("policies");
    LifecyclePolicy first = null;
    for (Map<String, Object> policy : (List<Map<String, Object>>) request.get("policies")) {
      LifecyclePolicy parsed = policy(policy, out);
      if (first == null) first = parsed;
    }
    out.endArray();
    Settings settings = settings(request, out);
    origination(request, settings, first, out);
    runs(request, settings, first, out);
    System.out.println(BytesReference.bytes(out.endObject()).utf8ToString());
  }

  /** Only the delete action is registered: a policy naming any other action fails to parse, as Mitra writes none. */
  private static final NamedXContentRegistry REGISTRY = new NamedXContentRegistry(
    List.of(
      new NamedXContentRegistry.Entry(LifecycleType.class, new ParseField(TimeseriesLifecycleType.TYPE), p -> TimeseriesLifecycleType.INSTANCE),
      new NamedXContentRegistry.Entry(LifecycleAction.class, new ParseField(DeleteAction.NAME), DeleteAction::parse)
    )
  );

  /** One PUT _ilm/policy/<name> request ({name, body}), as ILM reads and validates it; null when refused. */
  @SuppressWarnings("unchecked")
  private static LifecyclePolicy policy(Map<String, Object> request, XContentBuilder out) throws Exception {
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
        out.endObject();
        return policy;
      }
    } catch (Exception e) {
      out.field("error", messages(e));
      out.endObject();
      return null;
    }
  }

  /** The message of an exception and of each cause: the parser's own says only which field failed. */
  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) all.append(" / ").append(cause.getMessage());
    return all.toString();
  }

  @SuppressWarnings("unchecked")
  private static Settings settings(Map<String, Object> request, XContentBuilder out) throws Exception {
    Settings settings = Settings.builder().loadFromMap((Map<String, Object>) request.get("indexSettings")).build();
    out.startObject("settings");
    out.field("keys", new TreeSet<>(settings.keySet()));
    out.field("lifecycle_name_key", LifecycleSettings.LIFECYCLE_NAME_SETTING.getKey());
    out.field("lifecycle_name", LifecycleSettings.LIFECYCLE_NAME_SETTING.get(settings));
    out.field("parse_origination_date_key", IndexSettings.LIFECYCLE_PARSE_ORIGINATION_DATE_SETTING.getKey());
    out.field("parse_origination_date", IndexSettings.LIFECYCLE_PARSE_ORIGINATION_DATE_SETTING.get(settings));
    out.field("should_parse_index_name", IndexLifecycleOriginationDateParser.shouldParseIndexName(settings));
    out.endObject();
    return settings;
  }

  /** Per index: the date in its name, and what the policy's first step makes of the index. */
  @SuppressWarnings("unchecked")
  private static void origination(Map<String, Object> request, Settings settings, LifecyclePolicy policy, XContentBuilder out) throws Exception {
    long createdAt = ((Number) request.get("createdAt")).longValue();
    out.startObject("origination");
    for (String index : (List<String>) request.get("indices")) {
      out.startObject(index);
      try {
        out.field("millis", IndexLifecycleOriginationDateParser.parseIndexNameAndExtractDate(index));
      } catch (Exception e) {
        out.field("error", e.getMessage());
      }
      if (policy != null) firstStep(policy, index, settings, createdAt, out);
      out.endObject();
    }
    out.endObject();
  }

  private static IndexMetadata created(String index, Settings settings, long createdAt) {
    return IndexMetadata.builder(index)
      .settings(Settings.builder().put(settings).put(IndexMetadata.SETTING_VERSION_CREATED, IndexVersion.current().id()))
      .numberOfShards(1)
      .numberOfReplicas(0)
      .creationDate(createdAt)
      .build();
  }

  private static void firstStep(LifecyclePolicy policy, String index, Settings settings, long createdAt, XContentBuilder out) throws Exception {
    try {
      IndexMetadata created = created(index, settings, createdAt);
      // The policy's own steps, as ILM's step registry builds them; no client or license is needed to build them.
      InitializePolicyContextStep step = policy.toSteps(null, null)
        .stream()
        .filter(InitializePolicyContextStep.class::isInstance)
        .map(InitializePolicyContextStep.class::cast)
        .findFirst()
        .orElseThrow();
      IndexMetadata after = StepCalls.index(StepCalls.act(step, created.getIndex(), StepCalls.state(created)), index);
      out.startObject("first_step");
      out.field("origination_date", after.getSettings().getAsLong(IndexSettings.LIFECYCLE_ORIGINATION_DATE, null));
      out.field("lifecycle_date", after.getLifecycleExecutionState().lifecycleDate());
      out.endObject();
    } catch (Exception e) {
      out.field("first_step_error", messages(e));
    }
  }

  /** Per {index, createdAt, now?} of `runs`: the policy's steps run on that index at the run's or the request's `now` (PolicyRun). */
  @SuppressWarnings("unchecked")
  private static void runs(Map<String, Object> request, Settings settings, LifecyclePolicy policy, XContentBuilder out) throws Exception {
    long now = ((Number) request.getOrDefault("now", System.currentTimeMillis())).longValue();
    out.startArray("runs");
    for (Map<String, Object> run : (List<Map<String, Object>>) request.getOrDefault("runs", List.of())) {
      String index = (String) run.get("index");
      out.startObject().field("index", index);
      try {
        long at = ((Number) run.getOrDefault("now", now)).longValue();
        PolicyRun.Outcome outcome = PolicyRun.run(policy, created(index, settings, ((Number) run.get("createdAt")).longValue()), at);
        out.field("steps", outcome.steps()).field("requests", outcome.requests()).field("end", outcome.end());
      } catch (Exception e) {
        out.field("error", messages(e));
      }
      out.endObject();
    }
    out.endArray();
  }
}
