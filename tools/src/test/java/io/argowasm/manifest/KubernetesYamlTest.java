package io.argowasm.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Expected texts are what kubectl (sigs.k8s.io/yaml, go-yaml v2) writes for the same JSON. */
class KubernetesYamlTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesYamlAsKubernetesToolsDo() {
        JsonNode tree =
                JSON.readTree(
                        """
                        {
                          "scalars": {
                            "bool": "true",
                            "yes": "yes",
                            "int": "4355",
                            "hex": "0x1F",
                            "float": "1e3",
                            "point": ".5",
                            "sexagesimal": "1:20",
                            "date": "2024-01-02",
                            "tilde": "~",
                            "empty": "",
                            "merge": "<<",
                            "huge-hex": "0xFFFFFFFFFFFFFFFFF",
                            "not-a-date": "2024-13-45",
                            "flag": "--port",
                            "path": "/healthz",
                            "image": "ghcr.io/argowasm/wasm-executor-plugin:0.1.0",
                            "version": ">= v3.3",
                            "colon": "a: b",
                            "dash": "- x",
                            "hash": "#x",
                            "quote": "it's"
                          },
                          "keys": {
                            "b": 1,
                            "a10": 1,
                            "a2": 1,
                            "A": 1,
                            "_x": 1,
                            "1": 1,
                            "n": 1,
                            "x.y": 1,
                            "x-y": 1,
                            "x/y": 1
                          },
                          "long": "-XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData -Xss512k",
                          "longQuoted": "Runs modules: one per step, inside the agent pod, with no pod of their own for any step at all",
                          "block": "first line\\n  indented\\n",
                          "blockNoNewline": "one\\ntwo",
                          "blockKeep": "one\\n\\n\\n",
                          "empty": {
                            "map": {},
                            "list": []
                          },
                          "numbers": {
                            "int": 4355,
                            "negative": -1,
                            "bool": false,
                            "null": null
                          }
                        }
                        """);

        assertThat(KubernetesYaml.write(tree))
                .isEqualTo(
                        """
                        block: |
                          first line
                            indented
                        blockKeep: |+
                          one


                        blockNoNewline: |-
                          one
                          two
                        empty:
                          list: []
                          map: {}
                        keys:
                          _x: 1
                          "1": 1
                          A: 1
                          a2: 1
                          a10: 1
                          b: 1
                          "n": 1
                          x-y: 1
                          x.y: 1
                          x/y: 1
                        long: -XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData
                          -Xss512k
                        longQuoted: 'Runs modules: one per step, inside the agent pod, with no pod of their
                          own for any step at all'
                        numbers:
                          bool: false
                          int: 4355
                          negative: -1
                          "null": null
                        scalars:
                          bool: "true"
                          colon: 'a: b'
                          dash: '- x'
                          date: "2024-01-02"
                          empty: ""
                          flag: --port
                          float: "1e3"
                          hash: '#x'
                          hex: "0x1F"
                          huge-hex: 0xFFFFFFFFFFFFFFFFF
                          image: ghcr.io/argowasm/wasm-executor-plugin:0.1.0
                          int: "4355"
                          merge: <<
                          not-a-date: 2024-13-45
                          path: /healthz
                          point: ".5"
                          quote: it's
                          sexagesimal: "1:20"
                          tilde: "~"
                          version: '>= v3.3'
                          "yes": "yes"
                        """);
    }

    @Test
    void refusesTextThatKubernetesToolsWouldEscape() {
        assertThatThrownBy(() -> KubernetesYaml.write(JSON.readTree("{\"args\": [\"a\\tb\"]}")))
                .hasMessage(
                        "args[0] contains the character U+0009, which Kubernetes tools write as an"
                                + " escape in a double-quoted string; remove it or spell it out");
        assertThatThrownBy(
                        () ->
                                KubernetesYaml.write(
                                        JSON.readTree("{\"emoji\": \"\\ud83c\\udf89\"}")))
                .hasMessageStartingWith("emoji contains the character U+D83C");
    }

    @Test
    void refusesMultiLineTextWithTrailingSpaces() {
        assertThatThrownBy(() -> KubernetesYaml.write(JSON.readTree("{\"script\": \"a \\nb\\n\"}")))
                .hasMessageStartingWith("script has a line ending with a space");
    }

    @Test
    void refusesKeysWhoseOrderDependsOnGosSortAlgorithm() {
        // go-yaml orders "12:30" < "1E3" < "3.3" < "12:30": no order satisfies all three.
        assertThatThrownBy(
                        () ->
                                KubernetesYaml.write(
                                        JSON.readTree("{\"3.3\": 1, \"1E3\": 1, \"12:30\": 1}")))
                .hasMessageContaining("sort in no fixed order");
    }

    @Test
    void ordersKeysAsGoYamlDoes() {
        assertThat(KubernetesYaml.goYamlKeyOrder("a2", "a10")).isNegative();
        assertThat(KubernetesYaml.goYamlKeyOrder("_x", "A")).isNegative();
        assertThat(KubernetesYaml.goYamlKeyOrder("A", "a")).isNegative();
        assertThat(KubernetesYaml.goYamlKeyOrder("x-y", "x.y")).isNegative();
        assertThat(
                        KubernetesYaml.goYamlKeyOrder(
                                "sidecar.automountServiceAccountToken", "sidecar.container"))
                .isNegative();
    }
}
