{{ stage_report_seed('report_tiltak_hovedgrupper_og_fylke') }}
