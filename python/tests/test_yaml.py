import unittest

from atelier import _yaml
from atelier.exceptions import ValidationException


class YamlSubsetTest(unittest.TestCase):
    def test_reads_an_azure_command_job(self):
        document = _yaml.loads("""
$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json   # ignored by Atelier
type: command
code: ./src
command: >-
  python train.py --lr ${{inputs.lr}}
  --data ${{inputs.data}}
inputs:
  lr: 0.1
  epochs: 10
  data:
    type: uri_file
    path: azureml:iris@latest
environment_variables: {EPOCHS: "10", flag: true}
tags:
- a
- b
""")
        self.assertEqual(document["command"], "python train.py --lr ${{inputs.lr}} --data ${{inputs.data}}")
        self.assertEqual(document["inputs"]["lr"], 0.1)
        self.assertEqual(document["inputs"]["epochs"], 10)
        self.assertEqual(document["inputs"]["data"], {"type": "uri_file", "path": "azureml:iris@latest"})
        self.assertEqual(document["environment_variables"], {"EPOCHS": "10", "flag": True})
        self.assertEqual(document["tags"], ["a", "b"])
        self.assertEqual(document["$schema"], "https://azuremlschemas.azureedge.net/latest/commandJob.schema.json")

    def test_block_scalars_keep_or_fold_lines_with_chomping(self):
        document = _yaml.loads("literal: |\n  one\n    two\n\n  three\nstrip: |-\n  x\nkeep: |+\n  y\n\nfolded: >\n  a\n  b\n\n  c\n")
        self.assertEqual(document["literal"], "one\n  two\n\nthree\n")
        self.assertEqual(document["strip"], "x")
        self.assertEqual(document["keep"], "y\n\n")
        self.assertEqual(document["folded"], "a b\nc\n")

    def test_quoted_scalars_comments_and_plain_types(self):
        document = _yaml.loads("a: 'it''s # here'  # comment\nb: \"tab\\t\\u00e9\"\nc: ~\nd: 1.5e3\ne: \"1\"\nf: a # b\ng: no#comment\n")
        self.assertEqual(document, {"a": "it's # here", "b": "tab\t\u00e9", "c": None, "d": 1500.0, "e": "1", "f": "a",
                                    "g": "no#comment"})

    def test_flow_collections_nest_and_span_lines(self):
        document = _yaml.loads("x: [1, 'two', {a: b, c: [d, e]}]\ny: {k: v,\n  w: [1,\n      2]}\nz: []\n")
        self.assertEqual(document, {"x": [1, "two", {"a": "b", "c": ["d", "e"]}], "y": {"k": "v", "w": [1, 2]}, "z": []})

    def test_sequences_of_mappings_at_the_keys_indentation(self):
        document = _yaml.loads("steps:\n- name: a\n  run: x\n- name: b\n  nested:\n    - 1\n    - 2\n")
        self.assertEqual(document, {"steps": [{"name": "a", "run": "x"}, {"name": "b", "nested": [1, 2]}]})

    def test_json_is_read_too(self):
        self.assertEqual(_yaml.loads('{\n  "a": [1, 2],\n  "b": {"c": null, "d": "e"}\n}\n'), {"a": [1, 2], "b": {"c": None, "d": "e"}})

    def test_what_it_cannot_read_is_refused_with_the_line(self):
        for text, message in (("a: 1\n  b: 2\n", "line 2"), ("a: &anchor 1\n", "anchors"), ("a: 1\na: 2\n", "duplicate key 'a'"),
                              ("a: [1, 2\n", "never closed"), ("a: 1\n---\nb: 2\n", "one YAML document")):
            with self.assertRaises(ValidationException) as raised:
                _yaml.loads(text)
            self.assertIn(message, str(raised.exception))


if __name__ == "__main__":
    unittest.main()
