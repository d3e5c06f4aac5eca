# gh_cred DIR SECTION KEY: one value from a cluster's DIR/credentials.toml (written by
# `gatehouse up`), e.g. `gh_cred run proxy_client password`. Sourced by scripts, bench/ and tests.
gh_cred() {
  awk -v s="[$2]" -v k="$3" '
    $0 == s {in_s = 1; next} /^\[/ {in_s = 0}
    in_s && $1 == k { sub(/^[^=]*= */, ""); gsub(/^"|"$/, ""); print; exit }' "$1/credentials.toml"
}
