"""Writes an inventory with one user per AWS managed policy (as moto ships them), for
scripts/bench: how long the identity checks take on 1,500 principals, and which AWS
managed policies they judge to give administrator rights or a path to them.
Usage: managed_policy_inventory.py OUT.json (run with moto's Python)."""
import json, sys
from moto.iam.aws_managed_policies import aws_managed_policies_data
data = json.loads(aws_managed_policies_data)
acct = "123456789012"
users, policies = [], []
for name, p in data.items():
    arn = f"arn:aws:iam::aws:policy{p['Path']}{name}"
    policies.append({"name": name, "arn": arn, "id": "ANPA" + name[:10], "attachment_count": 1, "document": p["Document"], "other_versions": []})
    users.append({"name": "u-" + name[:60], "arn": f"arn:aws:iam::{acct}:user/u-{name[:60]}", "id": "AIDA" + name[:10], "groups": [],
                  "attached_managed_policies": [{"name": name, "arn": arn}], "inline_policies": []})
inv = {"schema_version": 1, "tool": {"name": "postura", "version": "0.1.0"},
       "account": {"id": acct, "partition": "aws", "scanned_by": "arn:aws:iam::123456789012:user/auditor"},
       "regions": ["eu-west-1"], "started_at": "2026-12-01T00:00:00Z", "finished_at": "2026-12-01T00:00:00Z",
       "iam": {"credential_report": {"ok": {"generated_at": None, "users": []}}, "account_summary": {"ok": {}},
               "password_policy": {"ok": None}, "virtual_mfa_devices": {"ok": []},
               "authorization_details": {"ok": {"users": users, "groups": [], "roles": [], "policies": policies}},
               "oidc_providers": {"ok": []}},
       "api_calls": []}
with open(sys.argv[1], "w") as f:
    json.dump(inv, f)
