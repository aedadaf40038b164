# Sourced by the bench scripts: the `strata` executable a run measures.
# ensure_strata_bin NAME [NATIVE_MOUNT]: with STRATA_BIN set, uses it as is; otherwise publishes STRATA_REV
# (HEAD; a commit, or "worktree" for the working tree as it is now) from a copy into $BENCH_WORK/NAME, so that
# concurrent edits and builds in this tree neither break nor change what is measured. NATIVE_MOUNT
# (false unless given as true) also links the native strata-mount (NativeAOT, minutes of CPU; needs clang),
# which only `strata mount` uses.
# Needs REPO_ROOT, BENCH_WORK, LOGS and the caller's log/die; sets STRATA_BIN and STRATA_BUILT.
ensure_strata_bin() {
  local name=$1 snapshot=$BENCH_WORK/$1-snapshot output=$BENCH_WORK/$1 native_mount=${2:-false}
  STRATA_REV=${STRATA_REV:-HEAD}
  if [[ -n ${STRATA_BIN:-} ]]; then
    STRATA_BUILT="prebuilt $STRATA_BIN"
  else
    rm -rf "$snapshot" "$output"
    mkdir -p "$snapshot"
    if [[ $STRATA_REV == worktree ]]; then
      STRATA_BUILT="$(git -C "$REPO_ROOT" rev-parse --short HEAD)+working-tree"
      (cd "$REPO_ROOT" && tar -cf - --exclude=bin --exclude=obj --exclude=TestResults src Directory.Build.props Directory.Packages.props) \
        | tar -xf - -C "$snapshot"
    else
      STRATA_BUILT=$(git -C "$REPO_ROOT" rev-parse --short "$STRATA_REV")
      git -C "$REPO_ROOT" archive "$STRATA_BUILT" src Directory.Build.props Directory.Packages.props | tar -xf - -C "$snapshot"
    fi
    log "publishing Strata $STRATA_BUILT (Release)"
    dotnet publish "$snapshot/src/Strata.Cli" -c Release -p:PublishNativeMount="$native_mount" -o "$output" >"$LOGS/publish.log" 2>&1 \
      || die "dotnet publish failed; see $LOGS/publish.log"
    STRATA_BIN=$output/strata
  fi
  [[ -x $STRATA_BIN ]] || die "no strata executable at $STRATA_BIN"
}
