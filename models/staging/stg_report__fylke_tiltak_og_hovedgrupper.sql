{{ stage_report_seed('report_fylke_tiltak_og_hovedgrupper') }}
