{{ stage_report_seed('report_fylke_og_alder') }}
